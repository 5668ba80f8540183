import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { DeadJobList, DeadJobQuery, deadJobExample } from '../../schemas/jobs.ts';

export const listDeadJobsRoute = createRoute({
  method: 'get',
  path: '/api/v1/jobs/dead',
  operationId: 'listDeadJobs',
  tags: ['jobs'],
  summary: "The organization's dead jobs (admins)",
  description:
    'Background jobs (emails, webhook deliveries, imports, …) that failed every retry, newest first, with the last error and their input minus anything secret. Retry one to queue it again, or discard it. Needs `jobs:manage`.',
  security: [{ bearerAuth: [] }],
  request: { query: DeadJobQuery },
  responses: {
    200: jsonResponse(DeadJobList, 'Dead jobs, newest first', { data: [deadJobExample] }),
    ...pick(400, 401, 403, 429),
  },
});
