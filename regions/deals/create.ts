import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { deals } from '../../db/schema/index.ts';
import type { DealInput } from '../../openapi/schemas/deals.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldsForCreate } from '../custom-fields/definitions.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { checkOwner } from '../support/owner.ts';
import { recordChange } from '../support/record.ts';
import { newDealFields } from './fields.ts';
import { recordStageChange } from './history.ts';
import { checkLinks } from './links.ts';
import { resolvePlacement } from './placement.ts';
import { enterStage } from './transitions.ts';
import { dealView } from './view.ts';

/**
 * Creates a deal in its pipeline's stage (by default the default pipeline's first open stage), with the first
 * history row, its audit rows and events, all in one transaction; replays an idempotent retry.
 */
export async function createDeal(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof DealInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'deals:create');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      // The actor is part of the request: a rep's deal defaults to them, and a replay must never hand one
      // member the deal another created.
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, {
        op: 'createDeal',
        input,
        actor: actorId(principal),
      });
      if (prior) return { ...prior, replayed: true };
    }
    const ownerId = input.ownerId === undefined ? ownRecordsOnly(principal) : input.ownerId;
    await checkOwner(tx, principal, ownerId);
    await checkLinks(tx, principal, input);
    const { pipeline, stage } = await resolvePlacement(tx, organizationId, input);
    const now = new Date();
    const transition = enterStage(null, stage, now)!;
    const customFields = await customFieldsForCreate(tx, organizationId, 'deal', input.customFields);
    const fields = newDealFields(input, { ownerId: ownerId ?? null, pipelineId: pipeline.id, customFields });
    const [row] = await tx
      .insert(deals)
      .values({
        organizationId,
        id: newId(),
        ...fields,
        ...transition.fields,
        createdBy: actorId(principal),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const deal = dealView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'deal.created',
      target: { type: 'deal', id: deal.id },
      changes: { ...fields, stageId: stage.id, status: deal.status },
      event: { type: 'deal.created', payload: deal },
    });
    await recordStageChange(tx, actor, deal, transition, { pipelineId: null });
    const response = { status: 201, body: deal };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
