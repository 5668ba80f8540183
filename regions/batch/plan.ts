import type { Principal } from '../../edge/protocol/principal.ts';
import { visibleTo } from '../support/owner.ts';
import { type BatchResult, failed, type MatchOn } from './outcome.ts';
import type { Item } from './run.ts';

type Existing = { id: string; ownerId: string | null };

export type Plan<I, R extends Existing> = {
  creates: Item<I>[];
  updates: { item: Item<I>; current: R }[];
  results: BatchResult[];
};

export type PlanRules<I> = {
  /** The record's name in messages: `lead`, `company`. */
  what: string;
  /** Whether every member sees every record (companies), rather than sales reps only their own. */
  shared: boolean;
  /** The refusal when a value the record claims (its externalId, a domain) is held by another record, if it is. */
  conflictOf(item: Item<I>, currentId: string | undefined): BatchResult | null;
};

/**
 * Decides per record between create, update and failure, from the rows its key matched, with the single writes'
 * rules: an upsert matches among the records the caller may see; one it may not see is `not_found` (never
 * revealed, not even by counting it towards an ambiguity), and an externalId or domain stays unique.
 */
export function planChunk<I, R extends Existing>(
  principal: Principal,
  items: Item<I>[],
  matchOn: MatchOn | null,
  matches: Map<string, R[]>,
  rules: PlanRules<I>,
): Plan<I, R> {
  const { what } = rules;
  const plan: Plan<I, R> = { creates: [], updates: [], results: [] };
  for (const item of items) {
    const found = item.key === undefined ? [] : (matches.get(item.key) ?? []);
    const visible = rules.shared ? found : found.filter((row) => visibleTo(principal, row.ownerId));
    if (visible.length > 1) {
      plan.results.push(failed(item.index, 'ambiguous_match', `${visible.length} ${what}s have this ${matchOn}`));
      continue;
    }
    if (visible.length === 0 && found.length > 0) {
      plan.results.push(failed(item.index, 'not_found', `${capitalise(what)} not found`));
      continue;
    }
    const current = visible[0];
    const conflict = rules.conflictOf(item, current?.id);
    if (conflict) {
      plan.results.push(current ? { ...conflict, id: current.id } : conflict);
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
