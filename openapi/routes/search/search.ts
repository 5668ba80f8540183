import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { SearchQuery, SearchResults, searchExample } from '../../schemas/search.ts';

export const searchRoute = createRoute({
  method: 'get',
  path: '/api/v1/search',
  operationId: 'search',
  tags: ['search'],
  summary: 'Search leads, contacts, companies and deals',
  description:
    'Ranked, prefix-matching, typo-tolerant search over the records the caller may see (sales reps: their own leads, contacts and deals, and every company), at most 50 results. Answers are cached briefly at the edge per user and dropped by any write.',
  security: [{ bearerAuth: [] }],
  request: { query: SearchQuery },
  responses: { 200: jsonResponse(SearchResults, 'The best matches first', searchExample), ...pick(400, 401, 403, 429) },
});
