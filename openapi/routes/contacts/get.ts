import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { ContactSchema, contactExample } from '../../schemas/contacts.ts';
import { etagHeader } from '../responses.ts';

export const getContactRoute = createRoute({
  method: 'get',
  path: '/api/v1/contacts/{id}',
  operationId: 'getContact',
  tags: ['contacts'],
  summary: 'Read one contact',
  description:
    "A contact of another organization answers 404, as does one a sales rep does not own. Send If-None-Match with the ETag to get 304 when it hasn't changed.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The contact',
      headers: etagHeader,
      content: { 'application/json': { schema: ContactSchema, example: contactExample } },
    },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...pick(400, 401, 403, 404, 429),
  },
});
