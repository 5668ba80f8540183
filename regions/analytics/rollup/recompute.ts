import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import { activityHappenedAt, instant, instants } from '../sql.ts';
import { addMonths, daysOf, MONTH_BUCKET_HOURS, monthsBetween, monthsOf } from './buckets.ts';

/**
 * Rebuilds roll-up buckets from the base tables. Nothing is adjusted by a delta: an hour's rows are deleted and
 * counted again, then its UTC day's rows are summed again from its hours, so running it twice, or for an hour
 * nothing changed in, is harmless. The caller holds the organization's analytics lock (state.ts).
 */

/** Buckets to rebuild: a list of bucket starts (an event's hours), or every bucket of a range (the backfill's). */
export type Spans = { list: readonly Date[] } | { from: Date; to: Date };

/** Each roll-up's dimensions and measures: a day's rows are its hours' summed, a month's its days'. */
const SUMMED: readonly { table: string; dimensions: string[]; counts: string[]; amounts: string[] }[] = [
  {
    table: 'analytics_lead_buckets',
    dimensions: ['owner_id', 'source'],
    counts: ['leads', 'converted', 'contacts', 'deals', 'won'],
    amounts: [],
  },
  { table: 'analytics_activity_buckets', dimensions: ['owner_id', 'type'], counts: ['activities'], amounts: [] },
  {
    table: 'analytics_won_deal_buckets',
    dimensions: ['owner_id', 'currency'],
    counts: ['deals'],
    amounts: ['revenue'],
  },
  {
    table: 'analytics_closed_deal_buckets',
    dimensions: ['owner_id', 'status'],
    counts: ['deals'],
    amounts: ['cycle_seconds'],
  },
  {
    table: 'analytics_open_deal_buckets',
    dimensions: ['pipeline_id', 'stage_id', 'owner_id', 'currency'],
    counts: ['deals'],
    amounts: ['amount'],
  },
];

/** The roll-up tables (the hour records that say what each hour counted are not one). */
export const ROLLUP_TABLES = SUMMED.map((rollup) => rollup.table);

/**
 * `FROM` a table's rows whose time falls in the spans (buckets of `hours` hours), ending inside a condition so the
 * caller can add `AND …`; `bucket` is the start of the bucket each row falls in. A list joins each bucket's range
 * (one index range scan per bucket); a range is one scan, each row's bucket its time floored in UTC.
 */
function scan(spans: Spans, hours: 1 | 24, table: SQL, organizationId: string, alias: string, at: SQL) {
  const a = sql.raw(alias);
  if ('list' in spans) {
    return {
      from: sql`FROM unnest(${instants(spans.list)}) AS s(start) JOIN ${table} ${a}
        ON ${a}.organization_id = ${organizationId}
        AND ${at} >= s.start AND ${at} < s.start + ${sql.raw(`interval '${hours} hours'`)}`,
      bucket: sql`s.start`,
    };
  }
  const seconds = hours * 3600;
  return {
    from: sql`FROM ${table} ${a} WHERE ${a}.organization_id = ${organizationId}
      AND ${at} >= ${instant(spans.from)} AND ${at} < ${instant(spans.to)}`,
    bucket: sql`to_timestamp((floor(extract(epoch FROM ${at}) / ${sql.raw(String(seconds))}) * ${sql.raw(String(seconds))})::float8)`,
  };
}

/** `AND <column> is one of the spans' starts` (a list) or in the range. */
const inSpans = (column: SQL, spans: Spans): SQL =>
  'list' in spans
    ? sql`${column} = ANY(${instants(spans.list)})`
    : sql`${column} >= ${instant(spans.from)} AND ${column} < ${instant(spans.to)}`;

/** Recounts the hours from the base tables, with the records each counted. */
async function recountHours(tx: Tx, organizationId: string, hours: Spans): Promise<void> {
  for (const table of ROLLUP_TABLES) {
    await tx.execute(sql`DELETE FROM ${sql.raw(table)} WHERE organization_id = ${organizationId}
      AND bucket_hours = 1 AND ${inSpans(sql`bucket`, hours)}`);
  }

  const leads = scan(hours, 1, sql`leads`, organizationId, 'l', sql`l.created_at`);
  await tx.execute(sql`INSERT INTO analytics_lead_buckets
      (organization_id, bucket, bucket_hours, owner_id, source, leads, converted, contacts, deals, won)
    SELECT ${organizationId}::uuid, ${leads.bucket}, 1, l.owner_id, l.source, count(*)::int,
      count(*) FILTER (WHERE l.converted_at IS NOT NULL OR l.status = 'converted')::int,
      count(*) FILTER (WHERE l.converted_contact_id IS NOT NULL)::int,
      count(*) FILTER (WHERE l.converted_deal_id IS NOT NULL)::int,
      count(*) FILTER (WHERE l.converted_deal_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM deals d
        WHERE d.organization_id = l.organization_id AND d.id = l.converted_deal_id AND d.status = 'won'
      ))::int
    ${leads.from}
    GROUP BY 2, l.owner_id, l.source`);

  const happened = activityHappenedAt('a');
  const acts = scan(hours, 1, sql`activities`, organizationId, 'a', happened);
  await tx.execute(sql`INSERT INTO analytics_activity_buckets
      (organization_id, bucket, bucket_hours, owner_id, type, activities)
    SELECT ${organizationId}::uuid, ${acts.bucket}, 1, a.owner_id, a.type, count(*)::int
    ${acts.from}
    GROUP BY 2, a.owner_id, a.type`);

  const closed = scan(hours, 1, sql`deals`, organizationId, 'd', sql`d.closed_at`);
  await tx.execute(sql`INSERT INTO analytics_won_deal_buckets
      (organization_id, bucket, bucket_hours, owner_id, currency, deals, revenue)
    SELECT ${organizationId}::uuid, ${closed.bucket}, 1, d.owner_id, d.currency, count(*)::int, sum(d.amount)
    ${closed.from} AND d.status = 'won'
    GROUP BY 2, d.owner_id, d.currency`);
  await tx.execute(sql`INSERT INTO analytics_closed_deal_buckets
      (organization_id, bucket, bucket_hours, owner_id, status, deals, cycle_seconds)
    SELECT ${organizationId}::uuid, ${closed.bucket}, 1, d.owner_id, d.status, count(*)::int,
      sum(extract(epoch FROM d.closed_at - d.created_at))
    ${closed.from} AND d.status IN ('won', 'lost')
    GROUP BY 2, d.owner_id, d.status`);

  // Open deals in the hour they were created, as they stand now (their stage, amount, owner, pipeline).
  const open = scan(hours, 1, sql`deals`, organizationId, 'o', sql`o.created_at`);
  await tx.execute(sql`INSERT INTO analytics_open_deal_buckets
      (organization_id, bucket, bucket_hours, pipeline_id, stage_id, owner_id, currency, deals, amount)
    SELECT ${organizationId}::uuid, ${open.bucket}, 1, o.pipeline_id, o.stage_id, o.owner_id, o.currency,
      count(*)::int, sum(o.amount)
    ${open.from} AND o.status = 'open'
    GROUP BY 2, o.pipeline_id, o.stage_id, o.owner_id, o.currency`);

  // The records each hour counted, so that a later change to one (a delete too) finds this hour again.
  // A list's rows are compared with those kept, so each once; a range's are written as they come.
  const union = sql.raw('list' in hours ? 'UNION' : 'UNION ALL');
  const counted = sql`SELECT ${leads.bucket} AS hour, l.id AS record_id ${leads.from}
    ${union} SELECT ${leads.bucket}, l.converted_deal_id ${leads.from} AND l.converted_deal_id IS NOT NULL
    ${union} SELECT ${acts.bucket}, a.id ${acts.from}
    ${union} SELECT ${closed.bucket}, d.id ${closed.from} AND d.status IN ('won', 'lost')
    ${union} SELECT ${open.bucket}, o.id ${open.from} AND o.status = 'open'`;
  const spanned = inSpans(sql`r.hour`, hours);
  if (!('list' in hours)) {
    // A backfill's range is built whole.
    await tx.execute(
      sql`DELETE FROM analytics_hour_records r WHERE r.organization_id = ${organizationId} AND ${spanned}`,
    );
    await tx.execute(sql`INSERT INTO analytics_hour_records (organization_id, hour, record_id)
      SELECT ${organizationId}::uuid, c.hour, c.record_id FROM (${counted}) c`);
    return;
  }
  // An event's hours: only the difference is written. The current hour is rebuilt after every write in it, and
  // rewriting all its records each time made the rebuild's writes grow with the hour's (at 10,000 new leads an
  // hour, 10,000 rows deleted and inserted again every second by its end).
  await tx.execute(sql`WITH counted AS (${counted}),
    gone AS (
      DELETE FROM analytics_hour_records r WHERE r.organization_id = ${organizationId} AND ${spanned}
        AND NOT EXISTS (SELECT 1 FROM counted c WHERE c.hour = r.hour AND c.record_id = r.record_id)
    )
    INSERT INTO analytics_hour_records (organization_id, hour, record_id)
    SELECT ${organizationId}::uuid, c.hour, c.record_id FROM counted c
    WHERE NOT EXISTS (SELECT 1 FROM analytics_hour_records r
      WHERE r.organization_id = ${organizationId} AND r.record_id = c.record_id AND r.hour = c.hour)`);
}

/** `columns` of a roll-up (for INSERT), and the same summed over alias r (for SELECT … GROUP BY the dimensions). */
function summed({ dimensions, counts, amounts }: (typeof SUMMED)[number]) {
  return {
    columns: sql.raw([...dimensions, ...counts, ...amounts].join(', ')),
    dimensions: sql.raw(dimensions.map((d) => `r.${d}`).join(', ')),
    sums: sql.raw(
      [
        ...dimensions.map((d) => `r.${d}`),
        ...counts.map((c) => `sum(r.${c})::int`),
        ...amounts.map((a) => `sum(r.${a})`),
      ].join(', '),
    ),
  };
}

/** Sums the days' rows from their hours' rows. */
async function resumDays(tx: Tx, organizationId: string, days: Spans): Promise<void> {
  for (const rollup of SUMMED) {
    const table = sql.raw(rollup.table);
    const { columns, dimensions, sums } = summed(rollup);
    await tx.execute(sql`DELETE FROM ${table} WHERE organization_id = ${organizationId}
      AND bucket_hours = 24 AND ${inSpans(sql`bucket`, days)}`);
    const hourly = scan(days, 24, table, organizationId, 'r', sql`r.bucket`);
    await tx.execute(sql`INSERT INTO ${table} (organization_id, bucket, bucket_hours, ${columns})
      SELECT ${organizationId}::uuid, ${hourly.bucket}, 24, ${sums}
      ${hourly.from} AND r.bucket_hours = 1
      GROUP BY 2, ${dimensions}`);
  }
}

/**
 * Sums the UTC months (month starts) from their days' rows. A backfill chunk sums a month from the days built so
 * far; the chunk that builds its last day sums it whole. Month ends are computed in UTC, so the session's time zone
 * does not matter.
 */
async function resumMonths(tx: Tx, organizationId: string, months: readonly Date[]): Promise<void> {
  if (months.length === 0) return;
  const marker = sql.raw(String(MONTH_BUCKET_HOURS));
  const ends = months.map((m) => addMonths(m, 1));
  for (const rollup of SUMMED) {
    const table = sql.raw(rollup.table);
    const { columns, dimensions, sums } = summed(rollup);
    await tx.execute(sql`DELETE FROM ${table} WHERE organization_id = ${organizationId}
      AND bucket_hours = ${marker} AND bucket = ANY(${instants(months)})`);
    await tx.execute(sql`INSERT INTO ${table} (organization_id, bucket, bucket_hours, ${columns})
      SELECT ${organizationId}::uuid, s.start, ${marker}, ${sums}
      FROM unnest(${instants(months)}, ${instants(ends)}) AS s(start, stop)
      JOIN ${table} r ON r.organization_id = ${organizationId} AND r.bucket_hours = 24
        AND r.bucket >= s.start AND r.bucket < s.stop
      GROUP BY s.start, ${dimensions}`);
  }
}

/** Rebuilds the hours (UTC hour starts), the days they fall in and those days' months. */
export async function recomputeHours(tx: Tx, organizationId: string, hours: readonly Date[]): Promise<void> {
  if (hours.length === 0) return;
  const days = daysOf(hours);
  await recountHours(tx, organizationId, { list: hours });
  await resumDays(tx, organizationId, { list: days });
  await resumMonths(tx, organizationId, monthsOf(days));
}

/** Rebuilds every hour and day of a range of whole UTC days (the backfill's chunks), and the months they touch. */
export async function recomputeDays(tx: Tx, organizationId: string, from: Date, to: Date): Promise<void> {
  await recountHours(tx, organizationId, { from, to });
  await resumDays(tx, organizationId, { from, to });
  await resumMonths(tx, organizationId, monthsBetween(from, to));
}
