import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import type { ReportScope } from '../access.ts';
import { instant, ownerIs, rows } from '../sql.ts';
import { MONTH_BUCKET_HOURS, rollupHours, splitWindow } from './buckets.ts';
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

/** What a report reads over its range: a roll-up's columns and the same columns of the base table's records. */
export type PartsSpec = {
  /** The roll-up table, read as `r`, and its columns. */
  rollup: string;
  rolled: SQL;
  /** The base table, read as `alias`, its records' time and the same columns, in the same order. */
  table: string;
  alias: string;
  at: SQL;
  columns: SQL;
  /** More conditions (`AND …`) on the roll-up's rows and on the base table's. */
  alsoRolled?: SQL;
  alsoBase?: SQL;
};

export type RollupWindow = {
  /** The `w` entry of the report's WITH clause. */
  with: SQL;
  /**
   * The range as rows of the spec's columns, in the organization (and the owner's, for one owner's report): the
   * roll-up's rows in the window's buckets (hours, days, months, days, hours) and the base records the roll-ups do
   * not cover, as one UNION ALL.
   */
  parts(spec: PartsSpec): SQL;
};

export function rollupWindow(
  { organizationId, ownerId, range, rollups = true }: ReportScope,
  now = new Date(),
): RollupWindow {
  const { rs, re } = rollupHours(range.start, range.end, now);
  const { ds, ms, me, de } = splitWindow(rs, re);
  const usable = rollups && rs < re;
  const ok = usable ? readyCondition(organizationId, { rs, re }) : sql`false`;
  const end = instant(range.end);
  const pick = (at: Date) => sql`CASE WHEN u.ok THEN ${instant(at)} ELSE ${end} END`;
  // OFFSET 0 keeps the check one subquery, evaluated once: pulled up, it was copied into each of the six bounds.
  const w = (column: string) => sql.raw(`(SELECT ${column} FROM w)`);
  const window: RollupWindow = {
    with: sql`w AS MATERIALIZED (
      SELECT ${pick(rs)} AS rs, ${pick(ds)} AS ds, ${pick(ms)} AS ms, ${pick(me)} AS me, ${pick(de)} AS de,
        ${pick(re)} AS re
      FROM (SELECT ${ok} AS ok OFFSET 0) u
    )`,
    parts(spec) {
      const a = sql.raw(spec.alias);
      return unionAll([
        ...rolled().map(
          (inWindow) => sql`SELECT ${spec.rolled} FROM ${sql.raw(spec.rollup)} r
            WHERE r.organization_id = ${organizationId} AND ${inWindow} ${spec.alsoRolled ?? sql``}
              ${ownerIs(sql`r.owner_id`, ownerId)}`,
        ),
        ...base(spec.at).map(
          (inWindow) => sql`SELECT ${spec.columns} FROM ${sql.raw(spec.table)} ${a}
            WHERE ${a}.organization_id = ${organizationId} AND ${inWindow} ${spec.alsoBase ?? sql``}
              ${ownerIs(sql`${a}.owner_id`, ownerId)}`,
        ),
      ]);
    },
  };
  return window;

  /** Conditions on the roll-up (r) selecting its buckets in the window: hours, days, (months, days,) hours. */
  function rolled(): SQL[] {
    const bucket = sql.raw('r.bucket');
    const hours = sql.raw('r.bucket_hours');
    const part = (bucketHours: number, from: string, to: string) =>
      sql`${hours} = ${sql.raw(String(bucketHours))} AND ${bucket} >= ${w(from)} AND ${bucket} < ${w(to)}`;
    return [
      part(1, 'rs', 'ds'),
      part(24, 'ds', 'ms'),
      part(MONTH_BUCKET_HOURS, 'ms', 'me'),
      part(24, 'me', 'de'),
      part(1, 'de', 're'),
    ];
  }

  /** Conditions on a base table's time expression selecting the instants the roll-ups do not cover. */
  function base(at: SQL): SQL[] {
    return [sql`${at} >= ${instant(range.start)} AND ${at} < ${w('rs')}`, sql`${at} >= ${w('re')} AND ${at} < ${end}`];
  }
}

export const unionAll = (parts: readonly SQL[]): SQL => sql.join([...parts], sql` UNION ALL `);
