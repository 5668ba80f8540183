import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { leads } from '../../db/schema/index.ts';
import { type LeadMergeInput, leadMergeFields } from '../../openapi/schemas/duplicates.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { scoreLead } from '../leads/score.ts';
import { scoringRulesFor } from '../scoring/store.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf, leadView } from '../support/views.ts';
import { lockLeadPair } from './lock.ts';
import { mergeFields, unionTags } from './merge-fields.ts';
import { moveLeadRecords } from './move.ts';

type LeadRow = typeof leads.$inferSelect;

/** A conversion is a fact about the person: if only the duplicate was converted, the primary inherits it. */
function inheritedConversion(primary: LeadRow, duplicate: LeadRow): Partial<LeadRow> {
  if (primary.convertedAt || !duplicate.convertedAt) return {};
  return {
    status: 'converted',
    convertedAt: duplicate.convertedAt,
    convertedContactId: duplicate.convertedContactId,
    convertedCompanyId: duplicate.convertedCompanyId,
    convertedDealId: duplicate.convertedDealId,
  };
}

/**
 * Merges the duplicate lead into the primary in one transaction: the primary takes the chosen values and the
 * union of both tag sets, every record pointing at the duplicate (activities, deals, contacts converted from it,
 * attachments) is moved to the primary, and the duplicate is deleted. Both get an audit row; `lead.merged` is
 * the event.
 */
export async function mergeLeads(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof LeadMergeInput>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'leads:update');
  assertCan(principal, 'leads:delete');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const { primary, duplicate } = await lockLeadPair(tx, principal, id, input.duplicateId);
    checkIfMatch(ifMatch, etagOf(primary.version), 'lead');
    const taken = mergeFields(primary, duplicate, leadMergeFields, input.fields ?? {});
    const merged: Partial<LeadRow> = {
      ...taken,
      ...inheritedConversion(primary, duplicate),
      tags: unionTags(primary.tags, duplicate.tags),
    };
    // A converted lead stays converted whatever status was chosen: its contact and deal still exist.
    if (primary.convertedAt || merged.convertedAt) merged.status = 'converted';
    const changes = diff(primary as unknown as Record<string, unknown>, merged);
    const moved = await moveLeadRecords(tx, organizationId, duplicate.id, primary.id);
    await tx.delete(leads).where(and(eq(leads.organizationId, organizationId), eq(leads.id, duplicate.id)));
    const { score, reasons } = scoreLead({ ...primary, ...merged }, await scoringRulesFor(tx, organizationId));
    const [row] = await tx
      .update(leads)
      .set({ ...merged, score, scoreReasons: reasons, version: primary.version + 1, updatedAt: new Date() })
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, primary.id)))
      .returning();
    const lead = leadView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'lead.merged',
      target: { type: 'lead', id: primary.id },
      changes: { ...changes, mergedFrom: duplicate.id, moved },
      event: { type: 'lead.merged', payload: { lead, duplicateId: duplicate.id, moved } },
    });
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'lead.merged',
      target: { type: 'lead', id: duplicate.id },
      changes: { mergedInto: primary.id, deleted: leadView(duplicate) },
      // The duplicate is gone: consumers (search, watches, roll-ups, automation) learn it as any deletion.
      event: { type: 'lead.deleted', payload: { leadId: duplicate.id, mergedInto: primary.id } },
    });
    return lead;
  });
}
