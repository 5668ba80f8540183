import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { leads } from '../../db/schema/index.ts';
import type { LeadInput } from '../../openapi/schemas/leads.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldsForCreate } from '../custom-fields/definitions.ts';
import { countLeadDuplicates, countNewLeadDuplicates, type LeadLike } from '../duplicates/list.ts';
import { scoringRulesFor } from '../scoring/store.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { checkOwner } from '../support/owner.ts';
import { recordChange } from '../support/record.ts';
import { leadView } from '../support/views.ts';
import { newLeadFields } from './fields.ts';
import { scoreLead } from './score.ts';

/** Creates a scored lead with its audit row and `lead.created` event in one transaction; replays an idempotent retry. */
export async function createLead(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof LeadInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean; possibleDuplicates: number }> {
  const { principal } = actor;
  assertCan(principal, 'leads:create');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      // The actor is part of the request: a rep's lead defaults to them, and a replay must never hand one
      // member the lead another created (a colleague rep could not even read it).
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, {
        op: 'createLead',
        input,
        actor: actorId(principal),
      });
      if (prior) {
        const possibleDuplicates = await countLeadDuplicates(tx, principal, prior.body as LeadLike);
        return { ...prior, replayed: true, possibleDuplicates };
      }
    }
    const ownerId = input.ownerId === undefined ? ownRecordsOnly(principal) : input.ownerId;
    await checkOwner(tx, principal, ownerId);
    const fields = {
      ...newLeadFields(input, ownerId ?? null),
      customFields: await customFieldsForCreate(tx, organizationId, 'lead', input.customFields),
    };
    const { score, reasons } = scoreLead(fields, await scoringRulesFor(tx, organizationId));
    const [row] = await tx
      .insert(leads)
      .values({ organizationId, id: newId(), ...fields, score, scoreReasons: reasons, createdBy: actorId(principal) })
      .returning();
    const lead = leadView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'lead.created',
      target: { type: 'lead', id: lead.id },
      changes: { ...fields, score },
      event: { type: 'lead.created', payload: lead },
    });
    const response = { status: 201, body: lead };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    ctx.metrics.leadsCreated.inc();
    return { ...response, replayed: false, possibleDuplicates: await countNewLeadDuplicates(tx, principal, lead) };
  });
}
