import { LeadSourcesReport, ReportQuery } from '../../schemas/analytics.ts';
import { leadSourcesCsvExample, leadSourcesReportExample } from './examples.ts';
import { reportRoute } from './report-route.ts';

export const leadSourcesReportRoute = reportRoute({
  name: 'lead-sources',
  operationId: 'getLeadSourcesReport',
  summary: 'Leads by source',
  description:
    'Leads created in the range, grouped by source (most first; null for leads without one), with how many of them have been converted and the conversion rate.',
  query: ReportQuery,
  schema: LeadSourcesReport,
  example: leadSourcesReportExample,
  csvExample: leadSourcesCsvExample,
});
