import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { FunnelReport, ReportQuery } from '../../openapi/schemas/analytics.ts';
import { percent } from './rates.ts';
import type { Figures, Report } from './report.ts';
import { rollupWindow } from './rollup/window.ts';
import { rows } from './sql.ts';

type Counts = { lead: number; contact: number; deal: number; won: number };

/** The funnel's steps from counts: each step's rate is of the step before it. */
export function funnelSteps(counts: Counts): Figures<typeof FunnelReport> {
  const order = ['lead', 'contact', 'deal', 'won'] as const;
  return {
    steps: order.map((step, i) => ({
      step,
      count: counts[step],
      conversionRate: i === 0 ? null : percent(counts[step], counts[order[i - 1]!]),
    })),
    overallConversionRate: percent(counts.won, counts.lead),
  };
}

/**
 * Conversion funnel of the leads created in the range (owned by the owner asked for): how many were converted to
 * a contact, how many of those conversions opened a deal, and how many of those deals are won today.
 */
export const funnelReport: Report<z.output<typeof ReportQuery>, Figures<typeof FunnelReport>> = {
  name: 'funnel',
  async run(tx, scope) {
    const w = rollupWindow(scope);
    // The hours and days the roll-ups hold, and the rest of the range counted from the leads themselves. The won
    // check looks up only the converted leads' deals by primary key: a scalar subquery, as EXISTS was planned as a
    // hash of every won deal (50,000 read, 36 ms, for the 37 leads of the current hour).
    const parts = w.parts({
      rollup: 'analytics_lead_buckets',
      rolled: sql`r.leads, r.contacts, r.deals, r.won`,
      table: 'leads',
      alias: 'l',
      at: sql`l.created_at`,
      columns: sql`1, (l.converted_contact_id IS NOT NULL)::int, (l.converted_deal_id IS NOT NULL)::int,
        CASE WHEN l.converted_deal_id IS NOT NULL THEN coalesce((
          SELECT (d.status = 'won')::int FROM deals d
          WHERE d.organization_id = l.organization_id AND d.id = l.converted_deal_id
        ), 0) ELSE 0 END`,
    });
    const [counts] = await rows<Counts>(
      tx,
      sql`WITH ${w.with}, parts (lead, contact, deal, won) AS (${parts})
        SELECT coalesce(sum(lead), 0)::int AS lead, coalesce(sum(contact), 0)::int AS contact,
          coalesce(sum(deal), 0)::int AS deal, coalesce(sum(won), 0)::int AS won
        FROM parts`,
    );
    return funnelSteps(counts ?? { lead: 0, contact: 0, deal: 0, won: 0 });
  },
  table(report) {
    return {
      header: ['step', 'count', 'conversion_rate'],
      rows: report.steps.map((s) => [s.step, s.count, s.conversionRate]),
    };
  },
};
