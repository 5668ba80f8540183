import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { SavedViewInput, SavedViewSchema, savedViewExample, savedViewInputExample } from '../../schemas/saved-views.ts';
import { idempotencyHeaders } from '../responses.ts';

export const createSavedViewRoute = createRoute({
  method: 'post',
  path: '/api/v1/saved-views',
  operationId: 'createSavedView',
  tags: ['saved-views'],
  summary: 'Save a view of the lead, contact, company, deal or activity list',
  description:
    "The filters are the list's query parameters (checked as the list would check them; `cf.<key>` must name a custom field of that kind of record), the sort an ordered list of fields. Needs read access to that list. A shared view is visible, read-only, to the whole organization. With an Idempotency-Key, a retried request returns the first answer.",
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(SavedViewInput, 'The view', savedViewInputExample) },
  responses: {
    201: {
      description: 'Saved',
      headers: {
        Location: {
          description: 'The URL of the new view',
          schema: { type: 'string' as const, example: '/api/v1/saved-views/0193a5fd-2b3c-7d4e-8f5a-6b7c8d9e0f1a' },
        },
        'Idempotent-Replayed': {
          description:
            'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string' as const, enum: ['true'] },
        },
      },
      content: { 'application/json': { schema: SavedViewSchema, example: savedViewExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
