import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { DeadJobParams, RetriedJobSchema, retriedJobExample } from '../../schemas/jobs.ts';

export const retryDeadJobRoute = createRoute({
  method: 'post',
  path: '/api/v1/jobs/dead/{queue}/{id}/retry',
  operationId: 'retryDeadJob',
  tags: ['jobs'],
  summary: 'Run a dead job again (admins)',
  description:
    'Queues a new job with the same input on its original queue, with a fresh set of retries, and deletes the dead copy. Another organization’s job answers 404; a queue this API does not run answers 400. Needs `jobs:manage`.',
  security: [{ bearerAuth: [] }],
  request: { params: DeadJobParams },
  responses: {
    202: jsonResponse(RetriedJobSchema, 'Queued again', retriedJobExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
