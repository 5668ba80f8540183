import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { deals } from '../../db/schema/index.ts';
import type { DealPatch } from '../../openapi/schemas/deals.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldsForPatch } from '../custom-fields/definitions.ts';
import type { Actor } from '../support/actor.ts';
import { checkOwner } from '../support/owner.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { visibleDeal } from './access.ts';
import { changedLinks, movesDeal, requestedDeal } from './fields.ts';
import { recordStageChange } from './history.ts';
import { checkLinks } from './links.ts';
import { resolvePlacement } from './placement.ts';
import { enterStage, type Transition } from './transitions.ts';
import { dealView } from './view.ts';

type Patch = z.infer<typeof DealPatch>;

/**
 * Applies a patch under the row lock, honouring If-Match. A stage or pipeline change is a move: it is written to
 * the stage history and closes, reopens or keeps the deal by the new stage's kind (see transitions.ts).
 */
export async function updateDeal(ctx: RegionContext, actor: Actor, id: string, patch: Patch, ifMatch?: string) {
  const { principal } = actor;
  assertCan(principal, 'deals:update');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await visibleDeal(tx, principal, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'deal');
    if (patch.ownerId !== undefined && patch.ownerId !== current.ownerId)
      await checkOwner(tx, principal, patch.ownerId);
    await checkLinks(tx, principal, changedLinks(patch, current));
    const now = new Date();
    let transition: Transition | null = null;
    let pipelineId = current.pipelineId;
    if (movesDeal(patch, current)) {
      const placed = await resolvePlacement(tx, organizationId, {
        pipelineId: patch.pipelineId ?? current.pipelineId,
        stageId: patch.stageId,
      });
      pipelineId = placed.pipeline.id;
      transition = enterStage(current, placed.stage, now);
    }
    const changes = diff(current as unknown as Record<string, unknown>, {
      ...requestedDeal(patch, transition ? { pipelineId, transition } : null),
      customFields: await customFieldsForPatch(tx, organizationId, 'deal', patch.customFields, current.customFields),
    });
    if (Object.keys(changes).length === 0) return dealView(current);
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const [row] = await tx
      .update(deals)
      .set({ ...next, version: current.version + 1, updatedAt: now })
      .where(and(eq(deals.organizationId, organizationId), eq(deals.id, id)))
      .returning();
    const deal = dealView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'deal.updated',
      target: { type: 'deal', id },
      changes,
      event: { type: 'deal.updated', payload: { deal, changes } },
    });
    if (transition) await recordStageChange(tx, actor, deal, transition, { pipelineId: current.pipelineId });
    return deal;
  });
}
