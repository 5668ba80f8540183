import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { leads } from '../../db/schema/index.ts';
import type { LeadPatch } from '../../openapi/schemas/leads.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldsForPatch } from '../custom-fields/definitions.ts';
import { scoringRulesFor } from '../scoring/store.ts';
import type { Actor } from '../support/actor.ts';
import { checkOwner } from '../support/owner.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf, leadView } from '../support/views.ts';
import { lockVisibleLead } from './access.ts';
import { scoreLead } from './score.ts';

/** Applies a patch under the row lock, honouring If-Match, rescoring, and recording the change and its events. */
export async function updateLead(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof LeadPatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'leads:update');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockVisibleLead(tx, principal, id);
    checkIfMatch(ifMatch, etagOf(current.version), 'lead');
    if (patch.ownerId !== undefined && patch.ownerId !== current.ownerId)
      await checkOwner(tx, principal, patch.ownerId);
    const changes = diff(current as unknown as Record<string, unknown>, {
      ...patch,
      ...(patch.email ? { email: patch.email.toLowerCase() } : {}),
      customFields: await customFieldsForPatch(tx, organizationId, 'lead', patch.customFields, current.customFields),
    });
    if (Object.keys(changes).length === 0) return leadView(current);
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const { score, reasons } = scoreLead({ ...current, ...next }, await scoringRulesFor(tx, organizationId));
    const [row] = await tx
      .update(leads)
      .set({ ...next, score, scoreReasons: reasons, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, id)))
      .returning();
    const lead = leadView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'lead.updated',
      target: { type: 'lead', id },
      changes,
      event: { type: 'lead.updated', payload: { lead, changes } },
    });
    if (changes.ownerId) {
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'lead.assigned',
        target: { type: 'lead', id },
        changes: { ownerId: changes.ownerId },
        event: { type: 'lead.assigned', payload: { leadId: id, from: current.ownerId, to: lead.ownerId } },
      });
    }
    return lead;
  });
}
