import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { SavedViewList, SavedViewListQuery, savedViewListExample } from '../../schemas/saved-views.ts';

export const listSavedViewsRoute = createRoute({
  method: 'get',
  path: '/api/v1/saved-views',
  operationId: 'listSavedViews',
  tags: ['saved-views'],
  summary: "The caller's saved views and those shared with the organization",
  description: 'Newest first, with keyset pagination: follow `nextCursor` until it is null.',
  security: [{ bearerAuth: [] }],
  request: { query: SavedViewListQuery },
  responses: {
    200: jsonResponse(SavedViewList, 'A page of saved views', savedViewListExample),
    ...pick(400, 401, 403, 429),
  },
});
