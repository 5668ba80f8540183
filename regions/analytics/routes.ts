import type { OpenAPIHono } from '@hono/zod-openapi';
import { activityReportRoute } from '../../openapi/routes/analytics/activity.ts';
import { dashboardRoute, dashboardStreamRoute } from '../../openapi/routes/analytics/dashboard.ts';
import { funnelReportRoute } from '../../openapi/routes/analytics/funnel.ts';
import { leadSourcesReportRoute } from '../../openapi/routes/analytics/lead-sources.ts';
import { leaderboardReportRoute } from '../../openapi/routes/analytics/leaderboard.ts';
import { pipelineReportRoute } from '../../openapi/routes/analytics/pipeline.ts';
import { pipelineHistoryRoute } from '../../openapi/routes/analytics/pipeline-history.ts';
import { revenueReportRoute } from '../../openapi/routes/analytics/revenue.ts';
import { winRateReportRoute } from '../../openapi/routes/analytics/win-rate.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { eventStreamResponse } from '../support/event-stream.ts';
import { activityReport } from './activity.ts';
import { dashboardScope, readDashboard } from './dashboard.ts';
import { changeHubOf, dashboardStreamSettings, openDashboardStream } from './dashboard-stream.ts';
import { funnelReport } from './funnel.ts';
import { leadSourcesReport } from './lead-sources.ts';
import { leaderboardReport } from './leaderboard.ts';
import { pipelineReport } from './pipeline.ts';
import { pipelineHistoryReport } from './pipeline-history.ts';
import { revenueReport } from './revenue.ts';
import { serveReport } from './serve.ts';
import { winRateReport } from './win-rate.ts';

export function registerAnalyticsRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(pipelineReportRoute, (c) => serveReport(c, ctx, pipelineReport, c.req.valid('query')) as never);
  app.openapi(pipelineHistoryRoute, (c) => serveReport(c, ctx, pipelineHistoryReport, c.req.valid('query')) as never);
  app.openapi(funnelReportRoute, (c) => serveReport(c, ctx, funnelReport, c.req.valid('query')) as never);
  app.openapi(winRateReportRoute, (c) => serveReport(c, ctx, winRateReport, c.req.valid('query')) as never);
  app.openapi(revenueReportRoute, (c) => serveReport(c, ctx, revenueReport, c.req.valid('query')) as never);
  app.openapi(leadSourcesReportRoute, (c) => serveReport(c, ctx, leadSourcesReport, c.req.valid('query')) as never);
  app.openapi(activityReportRoute, (c) => serveReport(c, ctx, activityReport, c.req.valid('query')) as never);
  app.openapi(leaderboardReportRoute, (c) => serveReport(c, ctx, leaderboardReport, c.req.valid('query')) as never);
  app.openapi(dashboardRoute, async (c) => {
    const { principal } = actorOf(c);
    const scope = dashboardScope(principal, c.req.valid('query'));
    c.header('Cache-Control', 'no-store');
    return c.json(await readDashboard(ctx, principal, scope), 200);
  });
  app.openapi(dashboardStreamRoute, async (c) => {
    const { principal } = actorOf(c);
    const scope = dashboardScope(principal, c.req.valid('query'));
    const settings = dashboardStreamSettings();
    const hub = changeHubOf(ctx, settings.pollMs);
    const stream = await openDashboardStream(ctx, hub, principal, scope, c.req.raw.signal, settings);
    return eventStreamResponse(stream) as never;
  });
}
