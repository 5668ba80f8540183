import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import type { ReportScope } from '../access.ts';
import { instant, rows } from '../sql.ts';
import { ceilTo, DAY_MS, floorTo, HOUR_MS } from './buckets.ts';
import { unappliedEvents } from './state.ts';

/**
 * Where a report reads from. A range [start, end) splits into
 *   [start, rs)  base tables      (a zone whose days do not start on the hour, e.g. +05:30)
 *   [rs, ds)     hour roll-ups
 *   [ds, de)     day roll-ups     (whole UTC days in the middle)
 *   [de, re)     hour roll-ups
 *   [re, end)    base tables
 * The roll-ups are read only when the organization's backfill is done and no event that could change them is
 * still unapplied (state.ts); otherwise rs = ds = de = re = end and the whole range comes from the base tables.
 * Each report asks for its parts in one statement, so the check and the figures see the same snapshot.
 */
/** Whether the organization's roll-ups are built and no event that could change them is unapplied. */
export const readyCondition = (organizationId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM analytics_state s
    WHERE s.organization_id = ${organizationId} AND s.backfilled_at IS NOT NULL
      AND NOT EXISTS (${unappliedEvents(sql`s.organization_id`, sql`s.settled_id`)}))`;

/** The same check on its own, for tests and operators. */
export async function rollupsReady(tx: Tx, organizationId: string): Promise<boolean> {
  const [row] = await rows<{ ready: boolean }>(tx, sql`SELECT ${readyCondition(organizationId)} AS ready`);
  return row?.ready === true;
}

export type RollupWindow = {
  /** The `w` entry of the report's WITH clause. */
  with: SQL;
  /** Conditions on a roll-up table (alias) selecting its buckets in the window: hours, days, hours. */
  rolled(alias: string): SQL[];
  /** Conditions on a base table's time expression selecting the instants the roll-ups do not cover. */
  base(at: SQL): SQL[];
};

export function rollupWindow({ organizationId, range, rollups = true }: ReportScope): RollupWindow {
  const rs = ceilTo(range.start, HOUR_MS);
  const re = floorTo(range.end, HOUR_MS);
  let ds = ceilTo(rs, DAY_MS);
  let de = floorTo(re, DAY_MS);
  if (ds >= de) ds = de = re;
  const usable = rollups && rs < re;
  const ok = usable ? readyCondition(organizationId) : sql`false`;
  const end = instant(range.end);
  const pick = (at: Date) => sql`CASE WHEN u.ok THEN ${instant(at)} ELSE ${end} END`;
  const w = (column: string) => sql.raw(`(SELECT ${column} FROM w)`);
  return {
    with: sql`w AS MATERIALIZED (
      SELECT ${pick(rs)} AS rs, ${pick(ds)} AS ds, ${pick(de)} AS de, ${pick(re)} AS re FROM (SELECT ${ok} AS ok) u
    )`,
    rolled(alias) {
      const bucket = sql.raw(`${alias}.bucket`);
      const hours = sql.raw(`${alias}.bucket_hours`);
      return [
        sql`${hours} = 1 AND ${bucket} >= ${w('rs')} AND ${bucket} < ${w('ds')}`,
        sql`${hours} = 24 AND ${bucket} >= ${w('ds')} AND ${bucket} < ${w('de')}`,
        sql`${hours} = 1 AND ${bucket} >= ${w('de')} AND ${bucket} < ${w('re')}`,
      ];
    },
    base(at) {
      return [
        sql`${at} >= ${instant(range.start)} AND ${at} < ${w('rs')}`,
        sql`${at} >= ${w('re')} AND ${at} < ${end}`,
      ];
    },
  };
}

export const unionAll = (parts: readonly SQL[]): SQL => sql.join([...parts], sql` UNION ALL `);
