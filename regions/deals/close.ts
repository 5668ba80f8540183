import { and, eq } from 'drizzle-orm';
import { deals } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { etagOf } from '../support/views.ts';
import { visibleDeal } from './access.ts';
import { recordStageChange } from './history.ts';
import { resolvePlacement } from './placement.ts';
import { closingStage, enterStage } from './transitions.ts';
import { dealView } from './view.ts';

/**
 * Marks a deal won or lost: moves it to its pipeline's (first) stage of that kind, which closes it, with the
 * reason. A deal already closed that way answers 409 rather than moving again; a lost deal may be won and back.
 */
export async function closeDeal(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  outcome: 'won' | 'lost',
  reason: string | null,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'deals:update');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await visibleDeal(tx, principal, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'deal');
    if (current.status === outcome) throw conflict(`deal_already_${outcome}`, `The deal is already ${outcome}`);
    const { stages } = await resolvePlacement(tx, organizationId, { pipelineId: current.pipelineId });
    const target = closingStage(stages, outcome);
    if (!target) {
      throw conflict(`no_${outcome}_stage`, `The deal's pipeline has no ${outcome} stage; add one first`);
    }
    const now = new Date();
    // The status differs from the target's kind, so this is always a move to another stage.
    const transition = enterStage(current, target, now, reason)!;
    const [row] = await tx
      .update(deals)
      .set({ ...transition.fields, version: current.version + 1, updatedAt: now })
      .where(and(eq(deals.organizationId, organizationId), eq(deals.id, id)))
      .returning();
    const deal = dealView(row!);
    await recordStageChange(tx, actor, deal, transition, { pipelineId: current.pipelineId });
    return deal;
  });
}
