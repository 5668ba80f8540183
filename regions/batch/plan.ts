import type { Principal } from '../../edge/protocol/principal.ts';
import { visibleTo } from '../support/owner.ts';
import { type BatchResult, failed, type MatchOn } from './outcome.ts';
import type { Item } from './run.ts';

type Existing = { id: string; ownerId: string | null; externalId: string | null };

export type Plan<I, R extends Existing> = {
  creates: Item<I>[];
  updates: { item: Item<I>; current: R }[];
  results: BatchResult[];
};

/**
 * Decides per record between create, update and failure, from the rows its key matched and the externalIds
 * already taken, with the single writes' rules: a match the caller may not see is `not_found` (never revealed),
 * and an externalId stays unique in the organization.
 */
export function planChunk<I, R extends Existing>(
  principal: Principal,
  items: Item<I>[],
  matchOn: MatchOn | null,
  matches: Map<string, R[]>,
  externalTaken: Map<string, string>,
  what: string,
): Plan<I, R> {
  const plan: Plan<I, R> = { creates: [], updates: [], results: [] };
  for (const item of items) {
    const found = item.key === undefined ? [] : (matches.get(item.key) ?? []);
    if (found.length > 1) {
      plan.results.push(failed(item.index, 'ambiguous_match', `${found.length} ${what}s have this ${matchOn}`));
      continue;
    }
    const current = found[0];
    if (current && !visibleTo(principal, current.ownerId)) {
      plan.results.push(failed(item.index, 'not_found', `${capitalise(what)} not found`));
      continue;
    }
    const holder = item.externalId === undefined ? undefined : externalTaken.get(item.externalId);
    if (holder !== undefined && holder !== current?.id) {
      plan.results.push(failed(item.index, 'external_id_taken', `Another ${what} has this externalId`));
      continue;
    }
    if (current) plan.updates.push({ item, current });
    else plan.creates.push(item);
  }
  return plan;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Groups rows by the key they matched on. */
export function groupBy<R>(rows: R[], keyOf: (row: R) => string | null): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}
