import type { z } from '@hono/zod-openapi';
import { type SQL, sql } from 'drizzle-orm';
import type { RevenueReport, RevenueReportQuery } from '../../openapi/schemas/analytics.ts';
import { decimal } from './csv.ts';
import { bucketBounds, periodBuckets } from './periods.ts';
import type { ReportRange } from './range.ts';
import type { Figures, Report } from './report.ts';
import { type PeriodPlan, periodPlan, planSql } from './rollup/period-plan.ts';
import { readyCondition } from './rollup/window.ts';
import { instant, instants, ownerIs, rows } from './sql.ts';

/**
 * `won (at, currency, deals, amount)`: the won deals closed in the range, as roll-up rows (at: the bucket's start)
 * where the plan reads them and the organization's roll-ups are ready, and as deals (at: when each closed) for the
 * rest. Checked and read in one statement, so both see the same snapshot.
 */
function wonDeals(organizationId: string, ownerId: string | null, range: ReportRange, plan: PeriodPlan | null): SQL {
  const all = sql`SELECT d.closed_at, d.currency, 1, d.amount FROM deals d
    WHERE d.organization_id = ${organizationId} AND d.status = 'won'
      AND d.closed_at >= ${instant(range.start)} AND d.closed_at < ${instant(range.end)}
      ${ownerIs(sql`d.owner_id`, ownerId)}`;
  if (!plan?.window) return sql`won (at, currency, deals, amount) AS (${all})`;
  const read = planSql(plan, organizationId);
  return sql`ready AS MATERIALIZED (SELECT ${readyCondition(organizationId, plan.window)} AS ok OFFSET 0),
    won (at, currency, deals, amount) AS (
      ${read.rolled(
        'analytics_won_deal_buckets',
        sql`r.bucket, r.currency, r.deals, r.revenue`,
        ownerIs(sql`r.owner_id`, ownerId),
      )} WHERE (SELECT ok FROM ready)
      UNION ALL ${read.base(
        'deals',
        'd',
        sql`d.closed_at`,
        sql`d.closed_at, d.currency, 1, d.amount`,
        sql` AND d.status = 'won'${ownerIs(sql`d.owner_id`, ownerId)}`,
      )} WHERE (SELECT ok FROM ready)
      UNION ALL ${all} AND NOT (SELECT ok FROM ready))`;
}

type SumRow = { bucket: number | null; currency: string; deals: number; amount: string };

/**
 * Revenue won per day, week or month of the range's time zone: the won deals closed in each period, summed per
 * currency. The periods' boundaries are computed here (time-zone rules live in Intl, not in every database) and
 * PostgreSQL's width_bucket sorts each deal, or each roll-up bucket (which lies inside one period), into one.
 */
export const revenueReport: Report<z.output<typeof RevenueReportQuery>, Figures<typeof RevenueReport>> = {
  name: 'revenue',
  async run(tx, { organizationId, ownerId, range, rollups = true }, query) {
    const buckets = periodBuckets(range.from, range.to, query.period);
    const bounds = bucketBounds(range, buckets);
    const sums = await rows<SumRow>(
      tx,
      sql`WITH ${wonDeals(organizationId, ownerId, range, rollups ? periodPlan(bounds) : null)}
        SELECT CASE WHEN grouping(bucket) = 0 THEN bucket END AS bucket, currency,
          sum(deals)::int AS deals, sum(amount)::numeric(20, 2)::text AS amount
        FROM (SELECT width_bucket(at, ${instants(bounds)})::int AS bucket, currency, deals, amount FROM won) won
        GROUP BY GROUPING SETS ((bucket, currency), (currency))
        ORDER BY currency`,
    );
    const totalsOf = (bucket: number | null) =>
      sums.filter((s) => s.bucket === bucket).map(({ currency, deals, amount }) => ({ currency, deals, amount }));
    return {
      period: query.period,
      // width_bucket numbers the buckets from 1.
      periods: buckets.map((bucket, i) => ({ ...bucket, totals: totalsOf(i + 1) })),
      totals: totalsOf(null),
    };
  },
  table(report) {
    return {
      header: ['period', 'start', 'end', 'currency', 'deals', 'amount'],
      rows: report.periods.flatMap((p) => {
        if (p.totals.length === 0) return [[p.period, p.start, p.end, null, 0, decimal('0.00')]];
        return p.totals.map((t) => [p.period, p.start, p.end, t.currency, t.deals, decimal(t.amount)]);
      }),
    };
  },
};
