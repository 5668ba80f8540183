import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { ReportQuery, WinRateReport } from '../../openapi/schemas/analytics.ts';
import { percent, secondsToDays } from './rates.ts';
import type { Figures, Report } from './report.ts';
import { rollupWindow } from './rollup/window.ts';
import { rows } from './sql.ts';

/**
 * Deals closed in the range: how many were won and lost, the win rate, and how long the won ones took from
 * creation to close on average.
 */
export const winRateReport: Report<z.output<typeof ReportQuery>, Figures<typeof WinRateReport>> = {
  name: 'win-rate',
  async run(tx, scope) {
    const w = rollupWindow(scope);
    // Closed deals in the range as (status, deals, cycle seconds summed): the roll-ups where they can be read, and
    // the rest of the range from the deals themselves.
    const parts = w.parts({
      rollup: 'analytics_closed_deal_buckets',
      rolled: sql`r.status, r.deals, r.cycle_seconds`,
      table: 'deals',
      alias: 'd',
      at: sql`d.closed_at`,
      columns: sql`d.status, 1, extract(epoch FROM d.closed_at - d.created_at)`,
      alsoBase: sql`AND d.status IN ('won', 'lost')`,
    });
    const [row] = await rows<{ won: number; lost: number; cycle_seconds: number | null }>(
      tx,
      sql`WITH ${w.with}, parts (status, deals, cycle_seconds) AS (${parts})
        SELECT coalesce(sum(deals) FILTER (WHERE status = 'won'), 0)::int AS won,
          coalesce(sum(deals) FILTER (WHERE status = 'lost'), 0)::int AS lost,
          (sum(cycle_seconds) FILTER (WHERE status = 'won') / sum(deals) FILTER (WHERE status = 'won'))::float8
            AS cycle_seconds
        FROM parts`,
    );
    const { won, lost, cycle_seconds: cycle } = row ?? { won: 0, lost: 0, cycle_seconds: null };
    return {
      won,
      lost,
      winRate: percent(won, won + lost),
      averageSalesCycleDays: secondsToDays(cycle === null ? null : Number(cycle)),
    };
  },
  table(report) {
    return {
      header: ['from', 'to', 'won', 'lost', 'win_rate', 'average_sales_cycle_days'],
      rows: [[report.from, report.to, report.won, report.lost, report.winRate, report.averageSalesCycleDays]],
    };
  },
};
