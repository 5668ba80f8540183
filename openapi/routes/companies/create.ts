import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { CompanyInput, CompanySchema, companyExample, companyInputExample } from '../../schemas/companies.ts';
import { idempotencyHeaders } from '../responses.ts';
import { createdHeadersFor, domainTakenResponse } from './responses.ts';

export const createCompanyRoute = createRoute({
  method: 'post',
  path: '/api/v1/companies',
  operationId: 'createCompany',
  tags: ['companies'],
  summary: 'Create a company',
  description:
    "Only `name` is required. `domain` may be pasted as a URL: it is stored as its bare host (lower-cased, without scheme, `www.`, path, port or trailing dot), must be a host name (else 400) and is unique within the organization (409 `domain_taken` names the company that has it). A sales rep's new company is theirs unless `ownerId` says otherwise. With an Idempotency-Key, a retried request returns the first answer instead of making a duplicate.",
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(CompanyInput, 'The company', companyInputExample) },
  responses: {
    201: {
      description: 'Created',
      headers: createdHeadersFor('company', '/api/v1/companies/0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f'),
      content: { 'application/json': { schema: CompanySchema, example: companyExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    409: domainTakenResponse,
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
