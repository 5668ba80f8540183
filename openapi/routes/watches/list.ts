import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { WatchList, WatchListQuery, watchListExample } from '../../schemas/watches.ts';

export const listWatchesRoute = createRoute({
  method: 'get',
  path: '/api/v1/watches',
  operationId: 'listWatches',
  tags: ['watches'],
  summary: "The caller's watches",
  description: 'Newest first, with keyset pagination: follow `nextCursor` until it is null.',
  security: [{ bearerAuth: [] }],
  request: { query: WatchListQuery },
  responses: { 200: jsonResponse(WatchList, 'A page of watches', watchListExample), ...pick(400, 401, 403, 429) },
});
