import type { OpenAPIHono } from '@hono/zod-openapi';
import { activityReportRoute } from '../../openapi/routes/analytics/activity.ts';
import { funnelReportRoute } from '../../openapi/routes/analytics/funnel.ts';
import { leadSourcesReportRoute } from '../../openapi/routes/analytics/lead-sources.ts';
import { leaderboardReportRoute } from '../../openapi/routes/analytics/leaderboard.ts';
import { pipelineReportRoute } from '../../openapi/routes/analytics/pipeline.ts';
import { revenueReportRoute } from '../../openapi/routes/analytics/revenue.ts';
import { winRateReportRoute } from '../../openapi/routes/analytics/win-rate.ts';
import type { RegionContext } from '../context.ts';
import type { RegionEnv } from '../support/actor.ts';
import { activityReport } from './activity.ts';
import { funnelReport } from './funnel.ts';
import { leadSourcesReport } from './lead-sources.ts';
import { leaderboardReport } from './leaderboard.ts';
import { pipelineReport } from './pipeline.ts';
import { revenueReport } from './revenue.ts';
import { serveReport } from './serve.ts';
import { winRateReport } from './win-rate.ts';

export function registerAnalyticsRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(pipelineReportRoute, (c) => serveReport(c, ctx, pipelineReport, c.req.valid('query')) as never);
  app.openapi(funnelReportRoute, (c) => serveReport(c, ctx, funnelReport, c.req.valid('query')) as never);
  app.openapi(winRateReportRoute, (c) => serveReport(c, ctx, winRateReport, c.req.valid('query')) as never);
  app.openapi(revenueReportRoute, (c) => serveReport(c, ctx, revenueReport, c.req.valid('query')) as never);
  app.openapi(leadSourcesReportRoute, (c) => serveReport(c, ctx, leadSourcesReport, c.req.valid('query')) as never);
  app.openapi(activityReportRoute, (c) => serveReport(c, ctx, activityReport, c.req.valid('query')) as never);
  app.openapi(leaderboardReportRoute, (c) => serveReport(c, ctx, leaderboardReport, c.req.valid('query')) as never);
}
