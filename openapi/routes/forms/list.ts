import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { FormList, FormSchema, formExample } from '../../schemas/forms.ts';
import { etagHeader } from '../responses.ts';

export const listFormsRoute = createRoute({
  method: 'get',
  path: '/api/v1/forms',
  operationId: 'listForms',
  tags: ['forms'],
  summary: "The organization's lead-capture forms",
  description: 'Needs forms:read (every role), oldest first, each with its public id and embed snippet.',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(FormList, 'The forms', { data: [formExample] }), ...pick(401, 403, 429) },
});

export const getFormRoute = createRoute({
  method: 'get',
  path: '/api/v1/forms/{id}',
  operationId: 'getForm',
  tags: ['forms'],
  summary: 'Read one lead-capture form',
  description: 'Needs forms:read. A form of another organization answers 404.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The form',
      headers: etagHeader,
      content: { 'application/json': { schema: FormSchema, example: formExample } },
    },
    ...pick(400, 401, 403, 404, 429),
  },
});
