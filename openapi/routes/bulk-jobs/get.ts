import { createRoute } from '@hono/zod-openapi';
import { BulkJobIdParam, BulkJobSchema, bulkJobExample } from '../../schemas/bulk.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';

export const getBulkJobRoute = createRoute({
  method: 'get',
  path: '/api/v1/bulk-jobs/{id}',
  operationId: 'getBulkJob',
  tags: ['bulk-jobs'],
  summary: 'Read a bulk job, its progress and its results',
  description:
    'Poll this while a bulk job runs: `processed` and the counters move after every chunk of 500 records. `results` (one per record) appear once the job is completed, failed or cancelled. Visible to whoever started the job, and to admins and managers; any other job, and another organization’s, is 404. Never cached.',
  security: [{ bearerAuth: [] }],
  request: { params: BulkJobIdParam },
  responses: {
    200: jsonResponse(BulkJobSchema, 'The bulk job', bulkJobExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
