import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { leadListExample } from '../../schemas/examples.ts';
import { LeadList, LeadListQuery } from '../../schemas/leads.ts';

export const listLeadsRoute = createRoute({
  method: 'get',
  path: '/api/v1/leads',
  operationId: 'listLeads',
  tags: ['leads'],
  summary: 'List leads, newest first, with keyset pagination',
  description:
    'Sales reps see the leads they own; every other role sees the whole organization. Follow `nextCursor` until it is null to read every page.',
  security: [{ bearerAuth: [] }],
  request: { query: LeadListQuery },
  responses: { 200: jsonResponse(LeadList, 'A page of leads', leadListExample), ...pick(400, 401, 403, 429) },
});
