import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { LeadCount, LeadCountQuery } from '../../schemas/leads.ts';

export const countLeadsRoute = createRoute({
  method: 'get',
  path: '/api/v1/leads/count',
  operationId: 'countLeads',
  tags: ['leads'],
  summary: 'Count the leads matching the list filters',
  description:
    'Takes the filters of GET /api/v1/leads (including `cf.<key>`) and answers how many leads the list would show the caller: sales reps count only the leads they own. A bulk action with the same filter selects exactly these.',
  security: [{ bearerAuth: [] }],
  request: { query: LeadCountQuery },
  responses: {
    200: jsonResponse(LeadCount, 'The number of matching leads', { count: 2048 }),
    ...pick(400, 401, 403, 429),
  },
});
