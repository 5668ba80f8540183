import { createRoute } from '@hono/zod-openapi';
import {
  BulkResponse,
  bulkResponseExample,
  ContactBulkRequest,
  contactBulkRequestExample,
} from '../../schemas/bulk.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { bulkAccepted, bulkAsyncNote } from './accepted.ts';

export const bulkContactsRoute = createRoute({
  method: 'post',
  path: '/api/v1/contacts/bulk',
  operationId: 'bulkContacts',
  tags: ['contacts'],
  summary: 'Set the lifecycle stage of, assign, tag, untag or delete many contacts at once',
  description:
    'Applies one action to up to 10,000 contacts the caller can see, chosen by id or by the list’s filters (custom fields as `cf.<key>`), in transactions of 500; every change is audited with its event, as a single write would be. `delete` deletes each contact as a DELETE does: its deals and activities are unlinked (new version) and its attachments deleted. Needs the single write’s permission (`contacts:delete` to delete, `contacts:update` otherwise). A filter matching more than 10,000 contacts is refused with 400 `too_many_records`.' +
    bulkAsyncNote,
  security: [{ bearerAuth: [] }],
  request: {
    body: jsonBody(ContactBulkRequest, 'The action and the contacts to apply it to', contactBulkRequestExample),
  },
  responses: {
    200: jsonResponse(BulkResponse, 'One result per selected contact and the totals', bulkResponseExample),
    202: bulkAccepted,
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
