import { type SQL, sql } from 'drizzle-orm';
import { instants } from '../sql.ts';
import { ceilTo, floorTo, HOUR_MS, MONTH_BUCKET_HOURS, rollupHours, splitWindow } from './buckets.ts';

/** [from, to) */
export type Span = { from: Date; to: Date };

/**
 * Where a report split into periods (revenue per day, week or month of the user's zone) reads each instant of its
 * range from. Every roll-up bucket it reads lies inside one period, so a bucket's start says which period it counts
 * in; within a period the buckets are chosen as rollupWindow chooses them for a whole range (hours at the edges,
 * UTC days, UTC months in the middle). A period's edges that do not fall on the hour (a zone at +05:30) and the
 * range outside [rs, re) are read from the base tables.
 * A period that holds no whole UTC day (a day of a zone off UTC midnight) is read from the base tables.
 */
export type PeriodPlan = {
  /** The hours the roll-ups are read for (readyCondition's window); null when none are. */
  window: { rs: Date; re: Date } | null;
  /** Roll-up buckets to read: `bucketHours` (1, 24 or the month marker) and their starts' span, merged. */
  rolled: { bucketHours: number; span: Span }[];
  /** Instants to read from the base tables when the roll-ups are read, merged. */
  base: Span[];
};

/** Adjacent or overlapping spans joined, in order. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.from < s.to).sort((a, b) => a.from.getTime() - b.from.getTime());
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.from <= last.to) {
      if (span.to > last.to) last.to = span.to;
    } else merged.push({ ...span });
  }
  return merged;
}

/**
 * The plan for a range [start, end) cut into periods at `bounds` (every period's start, in order, and the range's
 * end: periods.ts bucketBounds). The hour of `now` and later come from the base tables, as in rollupWindow.
 */
export function periodPlan(bounds: readonly Date[], now = new Date()): PeriodPlan {
  const start = bounds[0]!;
  const end = bounds.at(-1)!;
  const { rs, re } = rollupHours(start, end, now);
  if (rs >= re) return { window: null, rolled: [], base: [{ from: start, to: end }] };
  const levels = new Map<number, Span[]>([
    [1, []],
    [24, []],
    [MONTH_BUCKET_HOURS, []],
  ]);
  const read: Span[] = [];
  for (let i = 1; i < bounds.length; i++) {
    const from = ceilTo(new Date(Math.max(bounds[i - 1]!.getTime(), rs.getTime())), HOUR_MS);
    const to = floorTo(new Date(Math.min(bounds[i]!.getTime(), re.getTime())), HOUR_MS);
    const w = splitWindow(from, to);
    // A period holding no whole UTC day would be read hour by hour, beside the deals of its edge hours: probing
    // hundreds of such spans cost more than reading the deals (a three-year daily report at +05:30: 92 against 60 ms).
    if (from >= to || w.ds.getTime() === w.de.getTime()) continue;
    read.push({ from, to });
    levels.get(1)!.push({ from: w.rs, to: w.ds }, { from: w.de, to: w.re });
    levels.get(24)!.push({ from: w.ds, to: w.ms }, { from: w.me, to: w.de });
    levels.get(MONTH_BUCKET_HOURS)!.push({ from: w.ms, to: w.me });
  }
  const rolled = [...levels].flatMap(([bucketHours, spans]) =>
    mergeSpans(spans).map((span) => ({ bucketHours, span })),
  );
  if (rolled.length === 0) return { window: null, rolled: [], base: [{ from: start, to: end }] };
  // The base tables cover what the rolled spans do not.
  const base: Span[] = [];
  let cursor = start;
  for (const span of mergeSpans(read)) {
    base.push({ from: cursor, to: span.from });
    cursor = span.to;
  }
  base.push({ from: cursor, to: end });
  return { window: { rs, re }, rolled, base: mergeSpans(base) };
}

/**
 * SQL over a plan: `rolled(table, columns, also)` selects the columns of the roll-up rows (alias r) in its buckets,
 * `base(table, alias, at, columns, also)` those of the base rows (alias) whose time `at` is in its base spans; `also`
 * adds conditions (`AND …`). Each span is one index range scan: a lateral subquery per span (OFFSET 0 keeps it
 * one), since as a plain join the planner, guessing a hundred spans, read the organization's every row once per span
 * (650 ms over three years of weeks).
 */
export function planSql(plan: PeriodPlan, organizationId: string) {
  return {
    rolled: (table: string, columns: SQL, also: SQL = sql``) => {
      const hours = sql`${`{${plan.rolled.map((r) => r.bucketHours).join(',')}}`}::int[]`;
      return sql`SELECT p.* FROM unnest(${hours}, ${instants(plan.rolled.map((r) => r.span.from))},
          ${instants(plan.rolled.map((r) => r.span.to))}) AS s(bucket_hours, start, stop)
        CROSS JOIN LATERAL (SELECT ${columns} FROM ${sql.raw(table)} r
          WHERE r.organization_id = ${organizationId} AND r.bucket_hours = s.bucket_hours
            AND r.bucket >= s.start AND r.bucket < s.stop ${also} OFFSET 0) p`;
    },
    base: (table: string, alias: string, at: SQL, columns: SQL, also: SQL = sql``) =>
      sql`SELECT p.* FROM unnest(${instants(plan.base.map((b) => b.from))}, ${instants(plan.base.map((b) => b.to))})
          AS s(start, stop)
        CROSS JOIN LATERAL (SELECT ${columns} FROM ${sql.raw(table)} ${sql.raw(alias)}
          WHERE ${sql.raw(alias)}.organization_id = ${organizationId} AND ${at} >= s.start AND ${at} < s.stop ${also} OFFSET 0) p`,
  };
}
