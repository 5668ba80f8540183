import { home, type PublicOperation } from '../../operation.ts';
import { activityReportRoute } from './activity.ts';
import { funnelReportRoute } from './funnel.ts';
import { leadSourcesReportRoute } from './lead-sources.ts';
import { leaderboardReportRoute } from './leaderboard.ts';
import { pipelineReportRoute } from './pipeline.ts';
import { revenueReportRoute } from './revenue.ts';
import { winRateReportRoute } from './win-rate.ts';

/** The reports; the edge caches their JSON per principal until the organization's next write. */
export const analyticsOperations: PublicOperation[] = [
  { route: pipelineReportRoute, target: home, cacheable: true },
  { route: funnelReportRoute, target: home, cacheable: true },
  { route: winRateReportRoute, target: home, cacheable: true },
  { route: revenueReportRoute, target: home, cacheable: true },
  { route: leadSourcesReportRoute, target: home, cacheable: true },
  { route: activityReportRoute, target: home, cacheable: true },
  { route: leaderboardReportRoute, target: home, cacheable: true },
];
