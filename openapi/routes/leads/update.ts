import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { LeadPatch, LeadSchema } from '../../schemas/leads.ts';
import { conflictResponse, etagHeader, ifMatchHeaders } from '../responses.ts';

export const updateLeadRoute = createRoute({
  method: 'patch',
  path: '/api/v1/leads/{id}',
  operationId: 'updateLead',
  tags: ['leads'],
  summary: 'Change a lead (rescored on write)',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, headers: ifMatchHeaders, body: jsonBody(LeadPatch, 'The fields to change') },
  responses: {
    200: { description: 'Changed', headers: etagHeader, content: { 'application/json': { schema: LeadSchema } } },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: conflictResponse('If-Match no longer matches: someone changed the lead first'),
  },
});
