import { RevenueReport, RevenueReportQuery } from '../../schemas/analytics.ts';
import { revenueCsvExample, revenueReportExample } from './examples.ts';
import { reportRoute } from './report-route.ts';

export const revenueReportRoute = reportRoute({
  name: 'revenue',
  operationId: 'getRevenueReport',
  summary: 'Revenue won per period',
  description:
    'Revenue of the deals won in the range, per `period` (day, week starting Monday, or month) of the `tz` calendar and per currency. Every period the range touches is listed, empty ones too; the first and last may be partial (see `start` and `end`).',
  query: RevenueReportQuery,
  schema: RevenueReport,
  example: revenueReportExample,
  csvExample: revenueCsvExample,
});
