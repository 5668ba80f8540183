import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { Contact360Schema, contact360Example } from '../../schemas/contacts.ts';

export const getContact360Route = createRoute({
  method: 'get',
  path: '/api/v1/contacts/{id}/360',
  operationId: 'getContact360',
  tags: ['contacts'],
  summary: "A contact's 360° view",
  description:
    "In one call: the contact, its company (or null), its open deals, its last 20 activities, the lead it was converted from with that lead's audit entries, and its owner. Needs read access to contacts, companies, deals, activities and leads. A sales rep opens only contacts they own (404 otherwise) and sees only their own deals, activities and lead.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: jsonResponse(Contact360Schema, 'Everything about the contact', contact360Example),
    ...pick(400, 401, 403, 404, 429),
  },
});
