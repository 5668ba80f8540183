import { createRoute } from '@hono/zod-openapi';
import { jsonBody, pick } from '../../schemas/common.ts';
import { FormInput, FormSchema, formExample, formInputExample } from '../../schemas/forms.ts';
import { etagHeader } from '../responses.ts';

export const createFormRoute = createRoute({
  method: 'post',
  path: '/api/v1/forms',
  operationId: 'createForm',
  tags: ['forms'],
  summary: 'Add an embeddable lead-capture form (admins)',
  description:
    'Needs forms:manage (admins). Paste the returned `embedSnippet` into a page of one of `allowedOrigins`: the script renders the form there (in a Shadow DOM, so the page and the form keep their own styles) and every submission creates a lead in this organization.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(FormInput, 'The form', formInputExample) },
  responses: {
    201: {
      description: 'Added',
      headers: etagHeader,
      content: { 'application/json': { schema: FormSchema, example: formExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
