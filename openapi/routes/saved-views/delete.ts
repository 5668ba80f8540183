import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const deleteSavedViewRoute = createRoute({
  method: 'delete',
  path: '/api/v1/saved-views/{id}',
  operationId: 'deleteSavedView',
  tags: ['saved-views'],
  summary: 'Delete a saved view',
  description: "Only its owner may: another member's shared view answers 403, their private one 404.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...pick(400, 401, 403, 404, 429) },
});
