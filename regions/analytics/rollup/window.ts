import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import type { ReportScope } from '../access.ts';
import { instant, rows } from '../sql.ts';
import { ceilTo, floorTo, HOUR_MS, MONTH_BUCKET_HOURS, splitWindow } from './buckets.ts';
import { mayChangeRollupsSql } from './counted.ts';
import { unappliedEvents } from './state.ts';

/**
 * Where a report reads from. A range [start, end) splits into
 *   [start, rs)  base tables      (a zone whose days do not start on the hour, e.g. +05:30)
 *   [rs, ds)     hour roll-ups
 *   [ds, de)     day roll-ups     (whole UTC days in the middle)
 *   [de, re)     hour roll-ups
 *   [re, end)    base tables      (and from the hour of `now` on, whatever the range)
 * Whole UTC months in the middle of the days are read from month rows: [ds, ms) days, [ms, me) months, [me, de)
 * days (a three-year report reads 36 rows per group instead of 1,096).
 * The roll-ups are read only when the organization's backfill is done and nothing they would be read for is
 * pending (readyCondition); otherwise every bound is `end` and the whole range comes from the base tables.
 * Each report asks for its parts in one statement, so the check and the figures see the same snapshot.
 */
/**
 * Whether the organization's roll-ups are built and show every write: within [rs, re) when a window is given (the
 * hours a report reads roll-ups for, and so their days and months), everywhere otherwise. Pending are
 *   - hours marked for rebuilding (dirty.ts) in the window;
 *   - events the analyzer has not applied that may change the roll-ups (counted.ts), except a new lead created
 *     outside the window (a new lead is counted in its creation hour alone: the common write under load, made in
 *     the current hour, which rollupWindow leaves to the base tables).
 */
export const readyCondition = (organizationId: string, window?: { rs: Date; re: Date }): SQL => {
  const inWindow = (at: SQL) =>
    window ? sql`${at} >= ${instant(window.rs)} AND ${at} < ${instant(window.re)}` : sql`true`;
  const pending = window
    ? sql`${mayChangeRollupsSql('o')} AND NOT (o.event_type = 'lead.created' AND NOT EXISTS (
        SELECT 1 FROM leads l WHERE l.organization_id = o.organization_id AND l.id = o.aggregate_id
          AND ${inWindow(sql`l.created_at`)}))`
    : mayChangeRollupsSql('o');
  return sql`EXISTS (SELECT 1 FROM analytics_state s
    WHERE s.organization_id = ${organizationId} AND s.backfilled_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM analytics_dirty_hours d
        WHERE d.organization_id = s.organization_id AND ${inWindow(sql`d.hour`)})
      AND NOT EXISTS (${unappliedEvents(sql`s.organization_id`, sql`s.settled_id`, pending)}))`;
};

/** The same check on its own, for tests and operators. */
export async function rollupsReady(tx: Tx, organizationId: string): Promise<boolean> {
  const [row] = await rows<{ ready: boolean }>(tx, sql`SELECT ${readyCondition(organizationId)} AS ready`);
  return row?.ready === true;
}

export type RollupWindow = {
  /** The `w` entry of the report's WITH clause. */
  with: SQL;
  /** Conditions on a roll-up table (alias) selecting its buckets in the window: hours, days, (months, days,) hours. */
  rolled(alias: string): SQL[];
  /** Conditions on a base table's time expression selecting the instants the roll-ups do not cover. */
  base(at: SQL): SQL[];
};

export function rollupWindow({ organizationId, range, rollups = true }: ReportScope, now = new Date()): RollupWindow {
  const rs = ceilTo(range.start, HOUR_MS);
  // The hour being written (and any later one) always comes from the base tables: new records and their marks land
  // there, so under a steady write load they do not keep the rest of the range off the roll-ups.
  const re = floorTo(new Date(Math.min(range.end.getTime(), now.getTime())), HOUR_MS);
  const { ds, ms, me, de } = splitWindow(rs, re);
  const usable = rollups && rs < re;
  const ok = usable ? readyCondition(organizationId, { rs, re }) : sql`false`;
  const end = instant(range.end);
  const pick = (at: Date) => sql`CASE WHEN u.ok THEN ${instant(at)} ELSE ${end} END`;
  // OFFSET 0 keeps the check one subquery, evaluated once: pulled up, it was copied into each of the six bounds.
  const w = (column: string) => sql.raw(`(SELECT ${column} FROM w)`);
  return {
    with: sql`w AS MATERIALIZED (
      SELECT ${pick(rs)} AS rs, ${pick(ds)} AS ds, ${pick(ms)} AS ms, ${pick(me)} AS me, ${pick(de)} AS de,
        ${pick(re)} AS re
      FROM (SELECT ${ok} AS ok OFFSET 0) u
    )`,
    rolled(alias) {
      const bucket = sql.raw(`${alias}.bucket`);
      const hours = sql.raw(`${alias}.bucket_hours`);
      const hoursPart = (from: string, to: string) =>
        sql`${hours} = 1 AND ${bucket} >= ${w(from)} AND ${bucket} < ${w(to)}`;
      const daysPart = (from: string, to: string) =>
        sql`${hours} = 24 AND ${bucket} >= ${w(from)} AND ${bucket} < ${w(to)}`;
      return [
        hoursPart('rs', 'ds'),
        daysPart('ds', 'ms'),
        sql`${hours} = ${sql.raw(String(MONTH_BUCKET_HOURS))} AND ${bucket} >= ${w('ms')} AND ${bucket} < ${w('me')}`,
        daysPart('me', 'de'),
        hoursPart('de', 're'),
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
