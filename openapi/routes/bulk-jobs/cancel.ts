import { createRoute } from '@hono/zod-openapi';
import { BulkJobIdParam, BulkJobSchema, bulkJobExample } from '../../schemas/bulk.ts';
import { failureResponse, jsonResponse, pick } from '../../schemas/common.ts';

export const cancelBulkJobRoute = createRoute({
  method: 'post',
  path: '/api/v1/bulk-jobs/{id}/cancel',
  operationId: 'cancelBulkJob',
  tags: ['bulk-jobs'],
  summary: 'Cancel a bulk job',
  description:
    'Stops the job between chunks: the chunks already committed stay (their results are in the answer), no further one starts. A chunk being written when the cancel arrives finishes first, and the answer waits for it. Allowed to whoever started the job, and to admins and managers.',
  security: [{ bearerAuth: [] }],
  request: { params: BulkJobIdParam },
  responses: {
    200: jsonResponse(BulkJobSchema, 'The cancelled job', {
      ...bulkJobExample,
      status: 'cancelled',
      results: [],
      finishedAt: '2026-01-15T10:00:05.000Z',
    }),
    ...pick(400, 401, 403, 404, 429),
    409: failureResponse('The job has already finished', 'bulk_job_finished', 'The bulk job is already completed'),
  },
});
