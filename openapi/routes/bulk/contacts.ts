import { createRoute } from '@hono/zod-openapi';
import {
  BulkResponse,
  bulkResponseExample,
  ContactBulkRequest,
  contactBulkRequestExample,
} from '../../schemas/bulk.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';

export const bulkContactsRoute = createRoute({
  method: 'post',
  path: '/api/v1/contacts/bulk',
  operationId: 'bulkContacts',
  tags: ['contacts'],
  summary: 'Set the lifecycle stage of, assign, tag or untag many contacts at once',
  description:
    'Applies one action to up to 10,000 contacts the caller can see, chosen by id or by the list’s filters, in transactions of 500; every change is audited with its event, as a PATCH would be. Needs `contacts:update`. A filter matching more than 10,000 contacts is refused with 400 `too_many_records`.',
  security: [{ bearerAuth: [] }],
  request: {
    body: jsonBody(ContactBulkRequest, 'The action and the contacts to apply it to', contactBulkRequestExample),
  },
  responses: {
    200: jsonResponse(BulkResponse, 'One result per selected contact and the totals', bulkResponseExample),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
