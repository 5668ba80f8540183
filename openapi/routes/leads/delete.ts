import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { conflictResponse, ifMatchHeaders, noContent } from '../responses.ts';

export const deleteLeadRoute = createRoute({
  method: 'delete',
  path: '/api/v1/leads/{id}',
  operationId: 'deleteLead',
  tags: ['leads'],
  summary: 'Delete a lead',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, headers: ifMatchHeaders },
  responses: {
    204: noContent('Deleted'),
    ...pick(400, 401, 403, 404, 429),
    412: conflictResponse('If-Match no longer matches'),
  },
});
