import { ActivityReport, ReportQuery } from '../../schemas/analytics.ts';
import { activityCsvExample, activityReportExample } from './examples.ts';
import { reportRoute } from './report-route.ts';

export const activityReportRoute = reportRoute({
  name: 'activity',
  operationId: 'getActivityReport',
  summary: 'Activity per rep and type',
  description:
    'What each user did in the range: tasks completed (by completion time), calls, meetings (by start time), notes and emails logged (by creation time), and their total. Activities nobody owns form one row with a null user.',
  query: ReportQuery,
  schema: ActivityReport,
  example: activityReportExample,
  csvExample: activityCsvExample,
});
