import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { LeadSourcesReport, ReportQuery } from '../../openapi/schemas/analytics.ts';
import { percent } from './rates.ts';
import type { Figures, Report } from './report.ts';
import { rollupWindow } from './rollup/window.ts';
import { rows } from './sql.ts';

/** Leads created in the range by source, most first, with how many of them have been converted since. */
export const leadSourcesReport: Report<z.output<typeof ReportQuery>, Figures<typeof LeadSourcesReport>> = {
  name: 'lead-sources',
  async run(tx, scope) {
    const w = rollupWindow(scope);
    // The hours and days the roll-ups hold, and the rest of the range counted from the leads themselves.
    const parts = w.parts({
      rollup: 'analytics_lead_buckets',
      rolled: sql`r.source, r.leads, r.converted`,
      table: 'leads',
      alias: 'l',
      at: sql`l.created_at`,
      columns: sql`l.source, 1, (l.converted_at IS NOT NULL OR l.status = 'converted')::int`,
    });
    const sources = await rows<{ source: string | null; leads: number; converted: number }>(
      tx,
      sql`WITH ${w.with}, parts (source, leads, converted) AS (${parts})
        SELECT source, sum(leads)::int AS leads, sum(converted)::int AS converted
        FROM parts
        GROUP BY source
        HAVING sum(leads) > 0
        ORDER BY sum(leads) DESC, source NULLS LAST`,
    );
    const leads = sources.reduce((sum, s) => sum + s.leads, 0);
    const converted = sources.reduce((sum, s) => sum + s.converted, 0);
    return {
      sources: sources.map((s) => ({ ...s, conversionRate: percent(s.converted, s.leads) })),
      totals: { leads, converted, conversionRate: percent(converted, leads) },
    };
  },
  table(report) {
    return {
      header: ['source', 'leads', 'converted', 'conversion_rate'],
      rows: report.sources.map((s) => [s.source, s.leads, s.converted, s.conversionRate]),
    };
  },
};
