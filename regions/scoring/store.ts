import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { rows } from '../analytics/sql.ts';
import { defaultScoringRules, type ScoringRule } from '../leads/rules.ts';

export type ScoringState = {
  rules: ScoringRule[];
  version: number;
  updatedAt: string | null;
  recomputeStatus: 'idle' | 'queued' | 'running' | 'done';
  recomputeDone: number;
  recomputeTotal: number;
  recomputeCursor: string | null;
  recomputeStartedAt: string | null;
  recomputeFinishedAt: string | null;
};

/** An organization that never changed its rules has no row: the defaults, at version 1. */
export const defaultState = (): ScoringState => ({
  rules: [...defaultScoringRules],
  version: 1,
  updatedAt: null,
  recomputeStatus: 'idle',
  recomputeDone: 0,
  recomputeTotal: 0,
  recomputeCursor: null,
  recomputeStartedAt: null,
  recomputeFinishedAt: null,
});

const iso = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${camel(column)}"`);
const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * The organization's scoring state. `lock`: 'update' for the writer of the rules and the recompute, 'share' for a
 * lead write, so a change of rules waits for lead writes in flight (which then get rescored) and later ones see it.
 */
export async function readScoring(
  tx: Tx,
  organizationId: string,
  lock: 'update' | 'share' | null = null,
): Promise<ScoringState | null> {
  const locking = lock === 'update' ? sql` FOR UPDATE` : lock === 'share' ? sql` FOR KEY SHARE` : sql``;
  const [row] = await rows<ScoringState>(
    tx,
    sql`SELECT rules, version, recompute_status AS "recomputeStatus", recompute_done AS "recomputeDone",
        recompute_total AS "recomputeTotal", recompute_cursor AS "recomputeCursor",
        ${iso('updated_at')}, ${iso('recompute_started_at')}, ${iso('recompute_finished_at')}
      FROM scoring_rules WHERE organization_id = ${organizationId}${locking}`,
  );
  if (!row) return null;
  // Some drivers hand jsonb back as text.
  const rules = typeof row.rules === 'string' ? (JSON.parse(row.rules) as ScoringRule[]) : row.rules;
  return { ...row, rules };
}

/** Read once per transaction: a batch or an import chunk scores hundreds of leads with the same rules. */
const perTransaction = new WeakMap<Tx, Promise<readonly ScoringRule[]>>();

/** The rules every lead write of the organization scores with, read in the write's own transaction. */
export function scoringRulesFor(tx: Tx, organizationId: string): Promise<readonly ScoringRule[]> {
  let rules = perTransaction.get(tx);
  if (!rules) {
    rules = readScoring(tx, organizationId, 'share').then((state) => (state ? state.rules : defaultScoringRules));
    perTransaction.set(tx, rules);
  }
  return rules;
}
