import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { dealStageChanges } from '../../db/schema/index.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { type ChangeRecord, recordChange } from '../support/record.ts';
import type { Transition } from './transitions.ts';
import type { DealView } from './view.ts';

/**
 * A stage move's history row and its audit entries with events (`deal.stage_changed`, and `deal.won` /
 * `deal.lost` when the move closed the deal), for the caller to write in the move's own transaction.
 */
export function stageChangeOf(
  actor: Actor,
  deal: DealView,
  transition: Transition,
  from: { pipelineId: string | null },
) {
  const { organizationId } = actor.principal;
  const changedBy = actorId(actor.principal);
  const changedAt = transition.fields.stageEnteredAt;
  const id = newId();
  const row = { organizationId, id, dealId: deal.id, changedBy, changedAt, ...transition.change };
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
  const entries: Omit<ChangeRecord, 'organizationId' | 'actor'>[] = [
    {
      action: 'deal.stage_changed',
      target: { type: 'deal', id: deal.id },
      changes: { stageId: [transition.change.fromStageId, transition.change.toStageId], status: deal.status },
      event: { type: 'deal.stage_changed', payload: change },
    },
  ];
  if (transition.closedAs) {
    const type = transition.closedAs === 'won' ? 'deal.won' : 'deal.lost';
    entries.push({
      action: type,
      target: { type: 'deal', id: deal.id },
      changes: { status: deal.status, closeReason: deal.closeReason },
      event: { type, payload: { deal, reason: deal.closeReason } },
    });
  }
  return { row, entries };
}

/**
 * Writes a stage move's history row and its events in the caller's transaction, so history and events exist
 * exactly when the move does.
 */
export async function recordStageChange(
  tx: Tx,
  actor: Actor,
  deal: DealView,
  transition: Transition,
  from: { pipelineId: string | null },
) {
  const { organizationId } = actor.principal;
  const { row, entries } = stageChangeOf(actor, deal, transition, from);
  await tx.insert(dealStageChanges).values(row);
  for (const entry of entries) await recordChange(tx, { organizationId, actor, ...entry });
}
