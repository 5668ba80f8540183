import { createRoute } from '@hono/zod-openapi';
import { BulkResponse, bulkResponseExample, LeadBulkRequest, leadBulkRequestExample } from '../../schemas/bulk.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { bulkAccepted, bulkAsyncNote } from './accepted.ts';

export const bulkLeadsRoute = createRoute({
  method: 'post',
  path: '/api/v1/leads/bulk',
  operationId: 'bulkLeads',
  tags: ['leads'],
  summary: 'Assign, set the status of, tag, untag or delete many leads at once',
  description:
    'Applies one action to up to 10,000 leads the caller can see, chosen by id or by the list’s filters (custom fields as `cf.<key>`), in transactions of 500; every change is audited with its event, as a single write would be. Needs the single write’s permission (`leads:delete` to delete, `leads:update` otherwise). A filter matching more than 10,000 leads is refused with 400 `too_many_records`.' +
    bulkAsyncNote,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(LeadBulkRequest, 'The action and the leads to apply it to', leadBulkRequestExample) },
  responses: {
    200: jsonResponse(BulkResponse, 'One result per selected lead and the totals', bulkResponseExample),
    202: bulkAccepted,
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
