import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { CompanyPatch, CompanySchema, companyPatchExample, updatedCompanyExample } from '../../schemas/companies.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';
import { domainTakenResponse } from './responses.ts';

export const updateCompanyRoute = createRoute({
  method: 'patch',
  path: '/api/v1/companies/{id}',
  operationId: 'updateCompany',
  tags: ['companies'],
  summary: 'Change a company',
  description:
    'Send only the fields to change; `null` clears an optional one, and `address` and `tags` are replaced whole. A sales rep may change only the companies they own (403 otherwise). Send If-Match with the ETag you last read so a concurrent change is not overwritten (412 if it was).',
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(CompanyPatch, 'The fields to change', companyPatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: { 'application/json': { schema: CompanySchema, example: updatedCompanyExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: domainTakenResponse,
    412: failureResponse(
      'If-Match no longer matches: someone changed the company first',
      'precondition_failed',
      'The company changed since you read it; read it again and retry',
    ),
  },
});
