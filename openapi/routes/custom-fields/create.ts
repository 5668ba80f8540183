import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import {
  CustomFieldInput,
  CustomFieldSchema,
  customFieldExample,
  customFieldInputExample,
} from '../../schemas/custom-fields.ts';
import { idempotencyHeaders } from '../responses.ts';

export const createCustomFieldRoute = createRoute({
  method: 'post',
  path: '/api/v1/custom-fields',
  operationId: 'createCustomField',
  tags: ['custom-fields'],
  summary: 'Define a custom field for leads, contacts, companies or deals',
  description:
    'Needs settings:manage (admins). The key is snake_case (1–40 characters) and unique per kind of record (409 otherwise). Select and multi_select fields need their options. A required field must be given whenever a record of that kind is created. With an Idempotency-Key, a retried request returns the first answer.',
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(CustomFieldInput, 'The field', customFieldInputExample) },
  responses: {
    201: {
      description: 'Defined',
      headers: {
        Location: {
          description: 'The URL of the new field',
          schema: { type: 'string' as const, example: '/api/v1/custom-fields/0193a5fc-1a2b-7c3d-8e4f-5a6b7c8d9e0f' },
        },
        'Idempotent-Replayed': {
          description:
            'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string' as const, enum: ['true'] },
        },
      },
      content: { 'application/json': { schema: CustomFieldSchema, example: customFieldExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    409: failureResponse(
      'The key is taken for this kind of record',
      'custom_field_exists',
      'A custom field with the key industry_tier exists',
    ),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
