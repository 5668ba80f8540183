import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { CompanyList, CompanyListQuery, companyListExample } from '../../schemas/companies.ts';

export const listCompaniesRoute = createRoute({
  method: 'get',
  path: '/api/v1/companies',
  operationId: 'listCompanies',
  tags: ['companies'],
  summary: 'List companies, newest first, with keyset pagination',
  description:
    'Companies are shared reference data: every role that may read them sees all of the organization. Filters combine; `q` matches the start of the name in any case. Follow `nextCursor` until it is null to read every page.',
  security: [{ bearerAuth: [] }],
  request: { query: CompanyListQuery },
  responses: {
    200: jsonResponse(CompanyList, 'A page of companies', companyListExample),
    ...pick(400, 401, 403, 429),
  },
});
