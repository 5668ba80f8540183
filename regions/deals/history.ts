import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { dealStageChanges } from '../../db/schema/index.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import type { Transition } from './transitions.ts';
import type { DealView } from './view.ts';

/**
 * Writes a stage move's history row and its events (`deal.stage_changed`, and `deal.won` / `deal.lost` when the
 * move closed the deal) in the caller's transaction, so history and events exist exactly when the move does.
 */
export async function recordStageChange(
  tx: Tx,
  actor: Actor,
  deal: DealView,
  transition: Transition,
  from: { pipelineId: string | null },
) {
  const { organizationId } = actor.principal;
  const changedBy = actorId(actor.principal);
  const changedAt = transition.fields.stageEnteredAt;
  const id = newId();
  await tx
    .insert(dealStageChanges)
    .values({ organizationId, id, dealId: deal.id, changedBy, changedAt, ...transition.change });
  const change = {
    id,
    dealId: deal.id,
    ...transition.change,
    fromPipelineId: from.pipelineId,
    toPipelineId: deal.pipelineId,
    status: deal.status,
    changedBy,
    changedAt: changedAt.toISOString(),
  };
  await recordChange(tx, {
    organizationId,
    actor,
    action: 'deal.stage_changed',
    target: { type: 'deal', id: deal.id },
    changes: { stageId: [transition.change.fromStageId, transition.change.toStageId], status: deal.status },
    event: { type: 'deal.stage_changed', payload: change },
  });
  if (transition.closedAs) {
    const type = transition.closedAs === 'won' ? 'deal.won' : 'deal.lost';
    await recordChange(tx, {
      organizationId,
      actor,
      action: type,
      target: { type: 'deal', id: deal.id },
      changes: { status: deal.status, closeReason: deal.closeReason },
      event: { type, payload: { deal, reason: deal.closeReason } },
    });
  }
}
