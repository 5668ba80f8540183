import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const deleteWatchRoute = createRoute({
  method: 'delete',
  path: '/api/v1/watches/{id}',
  operationId: 'deleteWatch',
  tags: ['watches'],
  summary: 'Stop watching',
  description: "Only the caller's own watches; another member's answers 404.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('No longer watched'), ...pick(400, 401, 403, 404, 429) },
});
