import { home, type PublicOperation } from '../../operation.ts';
import { activityReportRoute } from './activity.ts';
import { dashboardRoute, dashboardStreamRoute } from './dashboard.ts';
import { funnelReportRoute } from './funnel.ts';
import { leadSourcesReportRoute } from './lead-sources.ts';
import { leaderboardReportRoute } from './leaderboard.ts';
import { pipelineReportRoute } from './pipeline.ts';
import { pipelineHistoryRoute } from './pipeline-history.ts';
import { revenueReportRoute } from './revenue.ts';
import { winRateReportRoute } from './win-rate.ts';

/**
 * The reports; the edge caches their JSON per principal until the organization's next write. The dashboard is not
 * cached: workers write too (a dispatched lead, a task falling due), and it must show that at once, like its stream.
 */
export const analyticsOperations: PublicOperation[] = [
  { route: pipelineReportRoute, target: home, cacheable: true },
  { route: pipelineHistoryRoute, target: home, cacheable: true },
  { route: funnelReportRoute, target: home, cacheable: true },
  { route: winRateReportRoute, target: home, cacheable: true },
  { route: revenueReportRoute, target: home, cacheable: true },
  { route: leadSourcesReportRoute, target: home, cacheable: true },
  { route: activityReportRoute, target: home, cacheable: true },
  { route: leaderboardReportRoute, target: home, cacheable: true },
  { route: dashboardRoute, target: home },
  { route: dashboardStreamRoute, target: home },
];
