import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { PageQuery } from '../../schemas/companies.ts';
import { ContactList, contactListExample } from '../../schemas/contacts.ts';
import { relatedVisibility } from './responses.ts';

export const listCompanyContactsRoute = createRoute({
  method: 'get',
  path: '/api/v1/companies/{id}/contacts',
  operationId: 'listCompanyContacts',
  tags: ['companies'],
  summary: "List a company's contacts",
  description: `The contacts linked to the company. ${relatedVisibility}`,
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: jsonResponse(ContactList, 'A page of contacts', contactListExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
