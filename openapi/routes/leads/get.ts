import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { leadExample } from '../../schemas/examples.ts';
import { LeadSchema } from '../../schemas/leads.ts';
import { etagHeader } from '../responses.ts';

export const getLeadRoute = createRoute({
  method: 'get',
  path: '/api/v1/leads/{id}',
  operationId: 'getLead',
  tags: ['leads'],
  summary: 'Read one lead',
  description:
    "A lead of another organization answers 404, as does one a sales rep does not own. Send If-None-Match with the ETag to get 304 when it hasn't changed.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The lead',
      headers: etagHeader,
      content: { 'application/json': { schema: LeadSchema, example: leadExample } },
    },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...pick(400, 401, 403, 404, 429),
  },
});
