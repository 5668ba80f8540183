import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import {
  CustomFieldPatch,
  CustomFieldSchema,
  customFieldPatchExample,
  updatedCustomFieldExample,
} from '../../schemas/custom-fields.ts';

export const updateCustomFieldRoute = createRoute({
  method: 'patch',
  path: '/api/v1/custom-fields/{id}',
  operationId: 'updateCustomField',
  tags: ['custom-fields'],
  summary: 'Change a custom field definition',
  description:
    'Needs settings:manage. Label, options, required and position may always change; the key and type only while no record holds a value for the field (409 `custom_field_in_use` otherwise).',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(CustomFieldPatch, 'The fields to change', customFieldPatchExample) },
  responses: {
    200: jsonResponse(CustomFieldSchema, 'Changed', updatedCustomFieldExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: failureResponse(
      'The key is taken, or records hold values so the key or type cannot change',
      'custom_field_in_use',
      'Records hold values for this field; its key and type cannot change',
    ),
  },
});
