import type { stageKinds } from '../../db/schema/crm-enums.ts';

type StageKind = (typeof stageKinds)[number];
type Placed = { id: string; position: number };

/** A won stage is certain by definition; every other stage starts at 0 % until someone says otherwise. */
export const defaultProbability = (kind: StageKind) => (kind === 'won' ? 100 : 0);

/** The ids in stage order, with `id` placed at `position` (clamped to the end); the others keep their order. */
export function placeAt(orderedIds: readonly string[], id: string, position: number): string[] {
  const rest = orderedIds.filter((other) => other !== id);
  const at = Math.max(0, Math.min(position, rest.length));
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}

/** The stages whose position must change so that `orderedIds` read 0, 1, 2, … — contiguous, with no gaps. */
export function renumber(current: readonly Placed[], orderedIds: readonly string[]): Placed[] {
  const before = new Map(current.map((s) => [s.id, s.position]));
  return orderedIds.flatMap((id, position) => (before.get(id) === position ? [] : [{ id, position }]));
}

/**
 * Whether the pipeline still has an open stage after one stage is removed or changes kind: a deal is created in
 * (and a reopened one returns to) an open stage, so a pipeline without one could take no new deal.
 */
export function keepsOpenStage(
  stages: readonly { id: string; kind: StageKind }[],
  change: { id: string; kind: StageKind | null },
): boolean {
  return stages.some((s) => (s.id === change.id ? change.kind : s.kind) === 'open');
}
