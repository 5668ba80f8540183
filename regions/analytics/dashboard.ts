import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { Dashboard, DashboardQuery } from '../../openapi/schemas/dashboard.ts';
import type { RegionContext } from '../context.ts';
import { type ReportScope, reportScope } from './access.ts';
import { addDays, startOfMonth, startOfWeek } from './calendar.ts';
import { bucketBounds, periodBuckets } from './periods.ts';
import { pipelineReport } from './pipeline.ts';
import { reportRange } from './range.ts';
import { percent } from './rates.ts';
import { revenueReport } from './revenue.ts';
import { instant, instants, ownerIs, rows } from './sql.ts';
import { dayIn } from './zoned.ts';

export type DashboardSnapshot = z.output<typeof Dashboard>;
export type DashboardParams = z.output<typeof DashboardQuery>;

/** Days the leads-per-day chart shows, today included; always more than a week, so it also counts "this week". */
export const DASHBOARD_DAYS = 14;

/**
 * Who sees whose dashboard, checked once when a dashboard or its stream is asked for: the reports' own rules
 * (reports:view; a sales rep only their own figures). Anything unusable in the query is a 400 from here.
 */
export function dashboardScope(principal: Principal, query: DashboardParams): ReportScope {
  return reportScope(principal, { tz: query.tz, ownerId: query.ownerId }, false);
}

/** The figures of the dashboard, read in one RLS-scoped transaction on the organization's shard. */
export async function readDashboard(
  ctx: RegionContext,
  principal: Principal,
  scope: ReportScope,
  now = new Date(),
): Promise<DashboardSnapshot> {
  return ctx.shards.withTenant(scope.organizationId, (tx) => dashboardFigures(tx, principal, scope, now));
}

async function dashboardFigures(
  tx: Tx,
  principal: Principal,
  { organizationId, ownerId, range: { timeZone } }: ReportScope,
  now: Date,
): Promise<DashboardSnapshot> {
  const today = dayIn(timeZone, now);
  const weekStart = startOfWeek(today);
  const monthStart = startOfMonth(today);
  const chartStart = addDays(today, -(DASHBOARD_DAYS - 1));
  // One pass over the leads since the earlier of the chart's first day and the 1st, a bucket per day.
  const [first] = [monthStart, chartStart].sort();
  const days = reportRange({ from: first!, to: today, tz: timeZone }, now);
  const buckets = periodBuckets(days.from, days.to, 'day');
  const perDay = await rows<{ bucket: number; leads: number; converted: number }>(
    tx,
    sql`SELECT width_bucket(created_at, ${instants(bucketBounds(days, buckets))})::int AS bucket,
        count(*)::int AS leads,
        count(*) FILTER (WHERE converted_at IS NOT NULL OR status = 'converted')::int AS converted
      FROM leads
      WHERE organization_id = ${organizationId}
        AND created_at >= ${instant(days.start)} AND created_at < ${instant(days.end)}
        ${ownerIs(sql`owner_id`, ownerId)}
      GROUP BY 1`,
  );
  const counted = buckets.map((bucket, i) => {
    const row = perDay.find((r) => r.bucket === i + 1);
    return { day: bucket.start, leads: row?.leads ?? 0, converted: row?.converted ?? 0 };
  });
  const since = (day: string) => counted.filter((c) => c.day >= day);
  const sum = (list: typeof counted, key: 'leads' | 'converted') => list.reduce((n, c) => n + c[key], 0);
  const month = since(monthStart);
  const thisMonth = sum(month, 'leads');
  const convertedThisMonth = sum(month, 'converted');

  // The open pipeline as it stands: every open deal, whenever it was created.
  const allTime = { from: '1900-01-01', to: today, timeZone, start: new Date(0), end: new Date(now.getTime() + 1) };
  let pipeline: DashboardSnapshot['pipeline'] = null;
  try {
    const report = await pipelineReport.run(tx, { organizationId, ownerId, range: allTime }, {});
    pipeline = {
      id: report.pipeline.id,
      name: report.pipeline.name,
      stages: report.stages.map(({ stageId, name, probability, totals }) => ({ stageId, name, probability, totals })),
      totals: report.totals,
    };
  } catch (error) {
    // An organization without a default pipeline has no pipeline to show, which is not an error of the dashboard.
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }

  const monthRange = reportRange({ from: monthStart, to: today, tz: timeZone }, now);
  const won = await revenueReport.run(tx, { organizationId, ownerId, range: monthRange }, { period: 'month' });

  let myTasks: DashboardSnapshot['myTasks'] = null;
  if (principal.type === 'user') {
    const [tasks] = await rows<{ open: number; overdue: number }>(
      tx,
      sql`SELECT count(*)::int AS open, count(*) FILTER (WHERE due_at < ${instant(now)})::int AS overdue
        FROM activities
        WHERE organization_id = ${organizationId} AND owner_id = ${principal.userId}
          AND type = 'task' AND done = false`,
    );
    myTasks = { open: tasks?.open ?? 0, overdue: tasks?.overdue ?? 0 };
  }

  return {
    asOf: now.toISOString(),
    timeZone,
    today,
    ownerId,
    leads: {
      today: sum(since(today), 'leads'),
      thisWeek: sum(since(weekStart), 'leads'),
      thisMonth,
      convertedThisMonth,
      conversionRate: percent(convertedThisMonth, thisMonth),
    },
    leadsPerDay: since(chartStart).map(({ day, leads }) => ({ day, leads })),
    pipeline,
    wonThisMonth: { deals: won.totals.reduce((n, t) => n + t.deals, 0), totals: won.totals },
    myTasks,
  };
}

/** Two snapshots show the same figures (when they were read aside): a stream sends only what changed. */
export const sameFigures = (a: DashboardSnapshot, b: DashboardSnapshot): boolean =>
  JSON.stringify({ ...a, asOf: null }) === JSON.stringify({ ...b, asOf: null });
