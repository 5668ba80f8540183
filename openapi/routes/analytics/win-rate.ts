import { ReportQuery, WinRateReport } from '../../schemas/analytics.ts';
import { winRateCsvExample, winRateReportExample } from './examples.ts';
import { reportRoute } from './report-route.ts';

export const winRateReportRoute = reportRoute({
  name: 'win-rate',
  operationId: 'getWinRateReport',
  summary: 'Win rate and sales cycle',
  description:
    'Deals closed (won or lost) in the range: how many were won and lost, the win rate, and the average sales cycle of the won ones in days, from creation to close.',
  query: ReportQuery,
  schema: WinRateReport,
  example: winRateReportExample,
  csvExample: winRateCsvExample,
});
