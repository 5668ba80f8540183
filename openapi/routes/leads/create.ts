import { createRoute } from '@hono/zod-openapi';
import { jsonBody, pick } from '../../schemas/common.ts';
import { LeadInput, LeadSchema } from '../../schemas/leads.ts';
import { conflictResponse, etagHeader, idempotencyHeaders } from '../responses.ts';

export const createLeadRoute = createRoute({
  method: 'post',
  path: '/api/v1/leads',
  operationId: 'createLead',
  tags: ['leads'],
  summary: 'Create a lead (scored on write)',
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(LeadInput, 'The lead') },
  responses: {
    201: {
      description: 'Created',
      headers: etagHeader,
      content: { 'application/json': { schema: LeadSchema } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    422: conflictResponse('The Idempotency-Key was used before with another body'),
  },
});
