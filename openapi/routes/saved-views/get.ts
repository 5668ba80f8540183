import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { SavedViewSchema, savedViewExample } from '../../schemas/saved-views.ts';

export const getSavedViewRoute = createRoute({
  method: 'get',
  path: '/api/v1/saved-views/{id}',
  operationId: 'getSavedView',
  tags: ['saved-views'],
  summary: 'Read one saved view',
  description: "Another member's private view, like one of another organization, answers 404.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 200: jsonResponse(SavedViewSchema, 'The view', savedViewExample), ...pick(400, 401, 403, 404, 429) },
});
