import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { DealSummaryList, dealSummaryListExample, PageQuery } from '../../schemas/companies.ts';
import { relatedVisibility } from './responses.ts';

export const listCompanyDealsRoute = createRoute({
  method: 'get',
  path: '/api/v1/companies/{id}/deals',
  operationId: 'listCompanyDeals',
  tags: ['companies'],
  summary: "List a company's deals",
  description: `The deals linked to the company, in every status, as summaries. ${relatedVisibility}`,
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: jsonResponse(DealSummaryList, 'A page of deal summaries', dealSummaryListExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
