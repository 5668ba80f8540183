import { createRoute } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { DeadJobParams } from '../../schemas/jobs.ts';
import { noContent } from '../responses.ts';

export const discardDeadJobRoute = createRoute({
  method: 'delete',
  path: '/api/v1/jobs/dead/{queue}/{id}',
  operationId: 'discardDeadJob',
  tags: ['jobs'],
  summary: 'Discard a dead job (admins)',
  description:
    'Deletes the dead copy for good, without running it again. Another organization’s job answers 404; a queue this API does not run answers 400. Needs `jobs:manage`.',
  security: [{ bearerAuth: [] }],
  request: { params: DeadJobParams },
  responses: { 204: noContent('Discarded'), ...pick(400, 401, 403, 404, 429) },
});
