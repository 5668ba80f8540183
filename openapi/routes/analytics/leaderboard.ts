import { LeaderboardQuery, LeaderboardReport } from '../../schemas/analytics.ts';
import { leaderboardCsvExample, leaderboardReportExample } from './examples.ts';
import { reportRoute } from './report-route.ts';

export const leaderboardReportRoute = reportRoute({
  name: 'leaderboard',
  operationId: 'getLeaderboardReport',
  summary: 'Sales leaderboard',
  description:
    'Users ranked by the revenue they won in the range, in one currency (`currency`, default the one most deals were won in), with the deals they won (any currency) and the activities they logged. Every active sales rep is listed, and anyone else who won or logged something; a sales rep sees only their own row.',
  query: LeaderboardQuery,
  schema: LeaderboardReport,
  example: leaderboardReportExample,
  csvExample: leaderboardCsvExample,
});
