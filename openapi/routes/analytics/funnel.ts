import { FunnelReport, ReportQuery } from '../../schemas/analytics.ts';
import { funnelCsvExample, funnelReportExample } from './examples.ts';
import { reportRoute } from './report-route.ts';

export const funnelReportRoute = reportRoute({
  name: 'funnel',
  operationId: 'getFunnelReport',
  summary: 'Conversion funnel: lead → contact → deal → won',
  description:
    'Of the leads created in the range (owned by `ownerId`, if given): how many were converted to a contact, how many of those conversions opened a deal, and how many of those deals are won now, with the conversion rate of each step from the one before it.',
  query: ReportQuery,
  schema: FunnelReport,
  example: funnelReportExample,
  csvExample: funnelCsvExample,
});
