import { createRoute } from '@hono/zod-openapi';
import { ActivityList, ActivityListQuery, activityListExample } from '../../schemas/activities.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';

export const listActivitiesRoute = createRoute({
  method: 'get',
  path: '/api/v1/activities',
  operationId: 'listActivities',
  tags: ['activities'],
  summary: 'List activities, newest first, with keyset pagination',
  description:
    'Sales reps see the activities they own; every other role sees the whole organization. Filters combine; `done`, `dueAfter` and `dueBefore` match tasks only. Follow `nextCursor` until it is null to read every page.',
  security: [{ bearerAuth: [] }],
  request: { query: ActivityListQuery },
  responses: {
    200: jsonResponse(ActivityList, 'A page of activities', activityListExample),
    ...pick(400, 401, 403, 429),
  },
});
