import type { dealStatuses, stageKinds } from '../../db/schema/crm-enums.ts';

/** The stage-transition rules of a deal, free of I/O: what moving into a stage does to its status and history. */

export type StageKind = (typeof stageKinds)[number];
export type DealStatus = (typeof dealStatuses)[number];
export type StageRef = { id: string; kind: StageKind; position: number };

export type DealPlacement = {
  stageId: string;
  stageEnteredAt: Date;
  status: DealStatus;
  closedAt: Date | null;
  closeReason: string | null;
};

export type Transition = {
  /** The deal's new placement, to write as is. */
  fields: DealPlacement;
  /** The history row: from where (null on creation), to where, and how long the deal sat where it was. */
  change: { fromStageId: string | null; toStageId: string; secondsInPreviousStage: number | null };
  /** The outcome this move closed the deal with, for `deal.won` / `deal.lost`; null if it did not close it. */
  closedAs: 'won' | 'lost' | null;
  /** Whether this move reopened a closed deal. */
  reopened: boolean;
};

/** A deal's status is its stage's kind: a won stage means a won deal. */
export const statusForKind = (kind: StageKind): DealStatus => kind;

/** Whole seconds from `from` to `to`, never negative (clocks of different hosts may disagree by a little). */
export const secondsBetween = (from: Date, to: Date): number =>
  Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));

/**
 * Moves a deal (or places a new one, `current` null) into `to` at `now`. Entering a won or lost stage closes it
 * (closedAt now, unless it was already closed the same way, as between two won stages); entering an open stage
 * reopens it (closedAt and the reason cleared). `reason` sets the close reason; without one it is kept only
 * while the deal stays closed the same way. Answers null when the deal is already in that stage.
 */
export function enterStage(
  current: DealPlacement | null,
  to: Pick<StageRef, 'id' | 'kind'>,
  now: Date,
  reason?: string | null,
): Transition | null {
  if (current && current.stageId === to.id) return null;
  const status = statusForKind(to.kind);
  const staysClosedAlike = current !== null && status !== 'open' && current.status === status;
  const closedAt = status === 'open' ? null : staysClosedAlike && current.closedAt ? current.closedAt : now;
  const closeReason =
    status === 'open' ? null : reason !== undefined ? reason : staysClosedAlike ? current.closeReason : null;
  return {
    fields: { stageId: to.id, stageEnteredAt: now, status, closedAt, closeReason },
    change: {
      fromStageId: current?.stageId ?? null,
      toStageId: to.id,
      secondsInPreviousStage: current ? secondsBetween(current.stageEnteredAt, now) : null,
    },
    closedAs: status !== 'open' && !staysClosedAlike ? status : null,
    reopened: current !== null && current.status !== 'open' && status === 'open',
  };
}

/** Where a deal goes when no stage is named: the pipeline's first open stage. */
export function firstOpenStage<S extends StageRef>(stages: readonly S[]): S | undefined {
  return [...stages].sort((a, b) => a.position - b.position).find((s) => s.kind === 'open');
}

/** Where "mark as won/lost" moves a deal: the pipeline's first stage of that kind. */
export function closingStage<S extends StageRef>(stages: readonly S[], outcome: 'won' | 'lost'): S | undefined {
  return [...stages].sort((a, b) => a.position - b.position).find((s) => s.kind === outcome);
}
