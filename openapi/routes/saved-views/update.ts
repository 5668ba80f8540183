import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import {
  SavedViewPatch,
  SavedViewSchema,
  savedViewPatchExample,
  updatedSavedViewExample,
} from '../../schemas/saved-views.ts';

export const updateSavedViewRoute = createRoute({
  method: 'patch',
  path: '/api/v1/saved-views/{id}',
  operationId: 'updateSavedView',
  tags: ['saved-views'],
  summary: 'Change a saved view',
  description:
    "Only its owner may: another member's shared view answers 403, their private one 404. New filters replace the old ones and are checked again.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(SavedViewPatch, 'The fields to change', savedViewPatchExample) },
  responses: {
    200: jsonResponse(SavedViewSchema, 'Changed', updatedSavedViewExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
  },
});
