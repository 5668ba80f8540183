import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { DealList, DealListQuery, dealListExample } from '../../schemas/deals.ts';

export const listDealsRoute = createRoute({
  method: 'get',
  path: '/api/v1/deals',
  operationId: 'listDeals',
  tags: ['deals'],
  summary: 'List deals, newest first, with keyset pagination and filters',
  description:
    'Sales reps see the deals they own; every other role sees the whole organization. Filters combine; the date bounds are inclusive. Follow `nextCursor` until it is null to read every page.',
  security: [{ bearerAuth: [] }],
  request: { query: DealListQuery },
  responses: { 200: jsonResponse(DealList, 'A page of deals', dealListExample), ...pick(400, 401, 403, 429) },
});
