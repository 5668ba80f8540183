import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { FormPatch, FormSchema, formExample } from '../../schemas/forms.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const updateFormRoute = createRoute({
  method: 'patch',
  path: '/api/v1/forms/{id}',
  operationId: 'updateForm',
  tags: ['forms'],
  summary: 'Change a lead-capture form (admins)',
  description:
    'Needs forms:manage. Send only the fields to change (`fields` and `allowedOrigins` replace the whole list). Pages that embed the form show the change on their next load. Send If-Match with the ETag you last read (412 if the form changed since).',
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(FormPatch, 'The fields to change', { successMessage: 'Thanks! We will call you within a day.' }),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: {
        'application/json': {
          schema: FormSchema,
          example: { ...formExample, successMessage: 'Thanks! We will call you within a day.', version: 2 },
        },
      },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: failureResponse(
      'If-Match no longer matches: someone changed the form first',
      'precondition_failed',
      'The form changed since you read it; read it again and retry',
    ),
  },
});
