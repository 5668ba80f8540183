import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { CompanySchema, companyExample } from '../../schemas/companies.ts';
import { etagHeader } from '../responses.ts';

export const getCompanyRoute = createRoute({
  method: 'get',
  path: '/api/v1/companies/{id}',
  operationId: 'getCompany',
  tags: ['companies'],
  summary: 'Read one company',
  description:
    "A company of another organization answers 404. Send If-None-Match with the ETag to get 304 when it hasn't changed.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The company',
      headers: etagHeader,
      content: { 'application/json': { schema: CompanySchema, example: companyExample } },
    },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...pick(400, 401, 403, 404, 429),
  },
});
