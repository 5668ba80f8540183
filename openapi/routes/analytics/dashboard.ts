import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { Dashboard, DashboardQuery, dashboardExample, dashboardStreamExample } from '../../schemas/dashboard.ts';

const scope =
  ' Needs reports:view: managers, admins, viewers and API keys with that scope see the whole organization, or one user with `ownerId`; a sales rep sees only their own figures (another `ownerId` is a 403). `tz` (default UTC) decides when today, the week (from Monday) and the month begin.';

export const dashboardRoute = createRoute({
  method: 'get',
  path: '/api/v1/analytics/dashboard',
  operationId: 'getDashboard',
  tags: ['analytics'],
  summary: 'The dashboard figures, in one call',
  description: `New leads today, this week and this month with the conversion rate, leads per day over the last 14 days, the open pipeline by stage (weighted), deals won this month and the caller's open and overdue tasks. Never cached: the figures are read when asked.${scope}`,
  security: [{ bearerAuth: [] }],
  request: { query: DashboardQuery },
  responses: {
    200: jsonResponse(Dashboard, 'The dashboard figures', dashboardExample),
    ...pick(400, 401, 403, 429),
  },
});

export const dashboardStreamRoute = createRoute({
  method: 'get',
  path: '/api/v1/analytics/dashboard/stream',
  operationId: 'streamDashboard',
  tags: ['analytics'],
  summary: 'The dashboard figures, live (Server-Sent Events)',
  description: [
    `A \`text/event-stream\`: a \`snapshot\` event at once, its \`data\` the same JSON as GET /api/v1/analytics/dashboard, then a fresh one whenever the organization's data changes (any write, by any process, within a second or two) and the figures differ, and at least once a minute while they change with the clock alone (a task falling due, a new day).${scope}`,
    'Changes are watched once per organization in each region process, however many dashboards are open; each stream only reads its figures again when there was one. A comment line (`: keep-alive`) is sent every 15 s when nothing else is. The stream ends after 5 minutes (EventSource reconnects after the `retry` delay, with a fresh token); closing the connection ends it at once.',
    'Browsers open it with EventSource and the session cookies.',
  ].join('\n\n'),
  security: [{ bearerAuth: [] }],
  request: { query: DashboardQuery },
  responses: {
    200: {
      description: 'The event stream; it stays open',
      content: { 'text/event-stream': { schema: z.string(), example: dashboardStreamExample } },
    },
    ...pick(400, 401, 403, 429),
  },
});
