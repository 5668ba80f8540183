import { createRoute } from '@hono/zod-openapi';
import { ActivityList, activityListExample, TaskViewQuery } from '../../schemas/activities.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';

export const listMyTasksRoute = createRoute({
  method: 'get',
  path: '/api/v1/me/tasks',
  operationId: 'listMyTasks',
  tags: ['activities'],
  summary: "The caller's own tasks: open, due today, or overdue",
  description:
    'Tasks owned by the calling user, soonest due first (then by id; tasks without a due time last), with keyset pagination. `today` is the calendar day of `tz` (default UTC) that contains now. API keys have no tasks of their own (403).',
  security: [{ bearerAuth: [] }],
  request: { query: TaskViewQuery },
  responses: {
    200: jsonResponse(ActivityList, 'A page of tasks', {
      ...activityListExample,
      nextCursor:
        'eyJ2IjoxLCJkdWUiOiIyMDI2LTEyLTAxVDA5OjAwOjAwLjAwMFoiLCJpZCI6IjAxOTNhNWY5LTdiOGMtN2Q5ZS04ZjBhLTFiMmMzZDRlNWY2YSJ9',
    }),
    ...pick(400, 401, 403, 429),
  },
});
