import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { ReportQuery, WinRateReport } from '../../openapi/schemas/analytics.ts';
import { percent, secondsToDays } from './rates.ts';
import type { Figures, Report } from './report.ts';
import { instant, ownerIs, rows } from './sql.ts';

/**
 * Deals closed in the range: how many were won and lost, the win rate, and how long the won ones took from
 * creation to close on average.
 */
export const winRateReport: Report<z.output<typeof ReportQuery>, Figures<typeof WinRateReport>> = {
  name: 'win-rate',
  async run(tx, { organizationId, ownerId, range }) {
    const [row] = await rows<{ won: number; lost: number; cycle_seconds: number | null }>(
      tx,
      sql`SELECT count(*) FILTER (WHERE status = 'won')::int AS won,
          count(*) FILTER (WHERE status = 'lost')::int AS lost,
          (avg(extract(epoch FROM closed_at - created_at)) FILTER (WHERE status = 'won'))::float8 AS cycle_seconds
        FROM deals
        WHERE organization_id = ${organizationId} AND status IN ('won', 'lost')
          AND closed_at >= ${instant(range.start)} AND closed_at < ${instant(range.end)}
          ${ownerIs(sql`owner_id`, ownerId)}`,
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
