import { createRoute } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { DealIdParam, DealSchema, dealExample } from '../../schemas/deals.ts';
import { dealHeaders } from './deal-responses.ts';

export const getDealRoute = createRoute({
  method: 'get',
  path: '/api/v1/deals/{id}',
  operationId: 'getDeal',
  tags: ['deals'],
  summary: 'Read one deal',
  description:
    "A deal of another organization answers 404, as does one a sales rep does not own. Send If-None-Match with the ETag to get 304 when it hasn't changed.",
  security: [{ bearerAuth: [] }],
  request: { params: DealIdParam },
  responses: {
    200: {
      description: 'The deal',
      headers: dealHeaders,
      content: { 'application/json': { schema: DealSchema, example: dealExample } },
    },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...pick(400, 401, 403, 404, 429),
  },
});
