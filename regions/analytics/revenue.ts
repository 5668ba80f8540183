import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { RevenueReport, RevenueReportQuery } from '../../openapi/schemas/analytics.ts';
import { decimal } from './csv.ts';
import { bucketBounds, periodBuckets } from './periods.ts';
import type { Figures, Report } from './report.ts';
import { instant, instants, ownerIs, rows } from './sql.ts';

type SumRow = { bucket: number | null; currency: string; deals: number; amount: string };

/**
 * Revenue won per day, week or month of the range's time zone: the won deals closed in each period, summed per
 * currency. The periods' boundaries are computed here (time-zone rules live in Intl, not in every database) and
 * PostgreSQL's width_bucket sorts each deal into one.
 */
export const revenueReport: Report<z.output<typeof RevenueReportQuery>, Figures<typeof RevenueReport>> = {
  name: 'revenue',
  async run(tx, { organizationId, ownerId, range }, query) {
    const buckets = periodBuckets(range.from, range.to, query.period);
    const sums = await rows<SumRow>(
      tx,
      sql`SELECT CASE WHEN grouping(bucket) = 0 THEN bucket END AS bucket, currency,
          count(*)::int AS deals, sum(amount)::numeric(20, 2)::text AS amount
        FROM (
          SELECT width_bucket(closed_at, ${instants(bucketBounds(range, buckets))})::int AS bucket, currency, amount
          FROM deals
          WHERE organization_id = ${organizationId} AND status = 'won'
            AND closed_at >= ${instant(range.start)} AND closed_at < ${instant(range.end)}
            ${ownerIs(sql`owner_id`, ownerId)}
        ) won
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
