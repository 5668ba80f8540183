import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import { addDays } from '../calendar.ts';
import { rows } from '../sql.ts';

/**
 * Pipeline snapshots as a function of the base tables. A deal's stage history (deal_stage_changes) cuts its life
 * into intervals, one per stage it sat in; a deal is in a day's snapshot when, at the end of that UTC day, its
 * interval then was in an open stage. The current interval is read from the deal itself (its stage and status), so
 * today's snapshot is the pipeline as it stands; amount, currency and owner are the deal's current ones on every
 * day. The live rows (rebuilt by the analyzer from deal events), a backfill and the reports' fallback all run this
 * same statement, which is why they agree.
 */

/** Days to compute: a list (an event's) or every day of a range (the backfill's, a report's), inclusive. */
export type DaySpan = { list: readonly string[] } | { from: string; to: string };

const dayList = (days: readonly string[]): SQL => sql`${`{${days.join(',')}}`}::date[]`;

const bounds = (span: DaySpan): { from: string; to: string } => {
  if ('from' in span) return span;
  const sorted = [...span.list].sort();
  return { from: sorted[0]!, to: sorted[sorted.length - 1]! };
};

/**
 * A query with one row per day, pipeline, stage, owner and currency: (day, pipeline_id, stage_id, owner_id,
 * currency, deals, amount). `dealIds` narrows to some deals (the days one deal was counted on).
 */
export function snapshotRows(
  organizationId: string,
  span: DaySpan,
  options: { pipelineId?: string; ownerId?: string | null; dealIds?: readonly string[] } = {},
): SQL {
  const { from, to } = bounds(span);
  const deals = options.dealIds ? sql` AND d.id = ANY(${`{${options.dealIds.join(',')}}`}::uuid[])` : sql``;
  const owner = options.ownerId ? sql` AND d.owner_id = ${options.ownerId}` : sql``;
  const pipeline = options.pipelineId ? sql` AND s.pipeline_id = ${options.pipelineId}` : sql``;
  const listed = 'list' in span ? sql` AND x.day = ANY(${dayList(span.list)})` : sql``;
  return sql`WITH iv AS (
      SELECT c.deal_id, c.to_stage_id AS stage_id,
        CASE WHEN c.from_stage_id IS NULL THEN least(c.changed_at, d.created_at) ELSE c.changed_at END AS since,
        lead(c.changed_at) OVER (PARTITION BY c.deal_id ORDER BY c.changed_at, c.id) AS until
      FROM deal_stage_changes c
      JOIN deals d ON d.organization_id = ${organizationId} AND d.id = c.deal_id
      WHERE c.organization_id = ${organizationId}${deals}
      UNION ALL
      SELECT d.id, d.stage_id, d.created_at, NULL FROM deals d
      WHERE d.organization_id = ${organizationId}${deals} AND NOT EXISTS (
        SELECT 1 FROM deal_stage_changes c WHERE c.organization_id = ${organizationId} AND c.deal_id = d.id)
    ), placed AS (
      SELECT d.id, d.owner_id, d.currency, d.amount, s.pipeline_id, s.id AS stage_id, iv.since, iv.until
      FROM iv
      JOIN deals d ON d.organization_id = ${organizationId} AND d.id = iv.deal_id
      JOIN pipeline_stages s ON s.organization_id = ${organizationId}
        AND s.id = CASE WHEN iv.until IS NULL THEN d.stage_id ELSE iv.stage_id END
      WHERE CASE WHEN iv.until IS NULL THEN d.status = 'open' ELSE s.kind = 'open' END${owner}${pipeline}
    )
    SELECT to_char(x.day, 'YYYY-MM-DD') AS day, p.pipeline_id, p.stage_id, p.owner_id, p.currency,
      count(*)::int AS deals, sum(p.amount)::numeric(20, 2)::text AS amount
    FROM placed p
    CROSS JOIN LATERAL generate_series(
      greatest((p.since AT TIME ZONE 'UTC')::date, ${from}::date)::timestamp,
      least(coalesce(((p.until AT TIME ZONE 'UTC') - interval '1 day')::date, ${to}::date), ${to}::date)::timestamp,
      interval '1 day'
    ) AS x(day)
    WHERE true${listed}
    GROUP BY x.day, p.pipeline_id, p.stage_id, p.owner_id, p.currency`;
}

/** The UTC days one deal is counted on now (its open intervals), for the analyzer to rebuild. */
export async function dealDays(tx: Tx, organizationId: string, dealIds: readonly string[], today: string) {
  if (dealIds.length === 0) return [];
  const found = await rows<{ day: string }>(
    tx,
    sql`SELECT DISTINCT day FROM (${snapshotRows(organizationId, { from: '1900-01-01', to: today }, { dealIds })}) r`,
  );
  return found.map((f) => f.day);
}

/**
 * Replaces the snapshot rows of the days with what the base tables say now and marks them built; records each
 * deal's first counted day, so its delete (whose event names only its id) can find its days. The caller holds the
 * organization's analytics lock.
 */
export async function rebuildDays(tx: Tx, organizationId: string, span: DaySpan): Promise<void> {
  if ('list' in span && span.list.length === 0) return;
  const inSpan =
    'list' in span ? sql`day = ANY(${dayList(span.list)})` : sql`day BETWEEN ${span.from}::date AND ${span.to}::date`;
  await tx.execute(sql`DELETE FROM pipeline_snapshots WHERE organization_id = ${organizationId} AND ${inSpan}`);
  await tx.execute(sql`INSERT INTO pipeline_snapshots
      (organization_id, day, pipeline_id, stage_id, owner_id, currency, deals, amount)
    SELECT ${organizationId}::uuid, r.day::date, r.pipeline_id, r.stage_id, r.owner_id, r.currency, r.deals,
      r.amount::numeric
    FROM (${snapshotRows(organizationId, span)}) r`);
  const days = 'list' in span ? sql`unnest(${dayList(span.list)})` : daySeries(span.from, span.to);
  await tx.execute(sql`INSERT INTO pipeline_snapshot_days (organization_id, day)
    SELECT ${organizationId}::uuid, d::date FROM ${days} AS t(d)
    ON CONFLICT (organization_id, day) DO NOTHING`);
}

const daySeries = (from: string, to: string): SQL =>
  sql`generate_series(${from}::date::timestamp, ${to}::date::timestamp, interval '1 day')`;

/** Remembers the first day each of the deals is counted on (kept as the earliest seen). */
export async function rememberDeals(tx: Tx, organizationId: string, dealIds: readonly string[] | null, today: string) {
  const only = dealIds ? sql` AND d.id = ANY(${`{${dealIds.join(',')}}`}::uuid[])` : sql``;
  await tx.execute(sql`INSERT INTO pipeline_snapshot_deals (organization_id, deal_id, first_day)
    SELECT ${organizationId}::uuid, d.id, least((d.created_at AT TIME ZONE 'UTC')::date, ${today}::date)
    FROM deals d WHERE d.organization_id = ${organizationId}${only}
    ON CONFLICT (organization_id, deal_id) DO UPDATE
      SET first_day = least(pipeline_snapshot_deals.first_day, excluded.first_day)`);
}

/** The days from `from` to `to`, inclusive. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}
