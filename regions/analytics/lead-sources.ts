import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { LeadSourcesReport, ReportQuery } from '../../openapi/schemas/analytics.ts';
import { percent } from './rates.ts';
import type { Figures, Report } from './report.ts';
import { instant, ownerIs, rows } from './sql.ts';

/** Leads created in the range by source, most first, with how many of them have been converted since. */
export const leadSourcesReport: Report<z.output<typeof ReportQuery>, Figures<typeof LeadSourcesReport>> = {
  name: 'lead-sources',
  async run(tx, { organizationId, ownerId, range }) {
    const sources = await rows<{ source: string | null; leads: number; converted: number }>(
      tx,
      sql`SELECT source, count(*)::int AS leads,
          count(*) FILTER (WHERE converted_at IS NOT NULL OR status = 'converted')::int AS converted
        FROM leads
        WHERE organization_id = ${organizationId}
          AND created_at >= ${instant(range.start)} AND created_at < ${instant(range.end)}
          ${ownerIs(sql`owner_id`, ownerId)}
        GROUP BY source
        ORDER BY count(*) DESC, source NULLS LAST`,
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
