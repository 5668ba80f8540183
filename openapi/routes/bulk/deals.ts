import { createRoute } from '@hono/zod-openapi';
import { BulkResponse, bulkResponseExample, DealBulkRequest, dealBulkRequestExample } from '../../schemas/bulk.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { bulkAccepted, bulkAsyncNote } from './accepted.ts';

export const bulkDealsRoute = createRoute({
  method: 'post',
  path: '/api/v1/deals/bulk',
  operationId: 'bulkDeals',
  tags: ['deals'],
  summary: 'Move, assign, tag, untag or delete many deals at once',
  description:
    'Applies one action to up to 10,000 deals the caller can see, chosen by id or by the list’s filters (custom fields as `cf.<key>`), in transactions of 500. `set_stage` takes a stage id and moves each deal into it (and its pipeline) exactly as a PATCH would: closing, reopening, and writing the stage history with its events. `delete` deletes each deal as a DELETE does: its stage history goes, its activities are unlinked (new version) and its attachments deleted. Needs the single write’s permission (`deals:delete` to delete, `deals:update` otherwise). A filter matching more than 10,000 deals is refused with 400 `too_many_records`.' +
    bulkAsyncNote,
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(DealBulkRequest, 'The action and the deals to apply it to', dealBulkRequestExample) },
  responses: {
    200: jsonResponse(BulkResponse, 'One result per selected deal and the totals', bulkResponseExample),
    202: bulkAccepted,
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
