import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { ContactList, ContactListQuery, contactListExample } from '../../schemas/contacts.ts';

export const listContactsRoute = createRoute({
  method: 'get',
  path: '/api/v1/contacts',
  operationId: 'listContacts',
  tags: ['contacts'],
  summary: 'List contacts, newest first, with keyset pagination',
  description:
    'Sales reps see the contacts they own; every other role sees the whole organization. Filters combine; `q` matches the start of a first name, last name, full name or email in any case. Follow `nextCursor` until it is null to read every page.',
  security: [{ bearerAuth: [] }],
  request: { query: ContactListQuery },
  responses: {
    200: jsonResponse(ContactList, 'A page of contacts', contactListExample),
    ...pick(400, 401, 403, 429),
  },
});
