import { createRoute } from '@hono/zod-openapi';
import {
  BulkResponse,
  CompanyBulkRequest,
  companyBulkRequestExample,
  companyBulkResponseExample,
} from '../../schemas/bulk.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { bulkAccepted, bulkAsyncNote } from './accepted.ts';

export const bulkCompaniesRoute = createRoute({
  method: 'post',
  path: '/api/v1/companies/bulk',
  operationId: 'bulkCompanies',
  tags: ['companies'],
  summary: 'Assign, tag, untag or delete many companies at once',
  description:
    'Applies one action to up to 10,000 companies, chosen by id or by the list’s filters (custom fields as `cf.<key>`), in transactions of 500; every change is audited with its event, as a single write would be. Companies are shared, so every caller sees them all: a sales rep’s action on a company they do not own is that record’s `failed` result with `forbidden`, and ids of no company of the organization are `not_found`. `delete` deletes each company as a DELETE does: its contacts, deals and activities are unlinked (new version) and its attachments deleted. Needs the single write’s permission (`companies:delete` to delete, `companies:update` otherwise). A filter matching more than 10,000 companies is refused with 400 `too_many_records`.' +
    bulkAsyncNote,
  security: [{ bearerAuth: [] }],
  request: {
    body: jsonBody(CompanyBulkRequest, 'The action and the companies to apply it to', companyBulkRequestExample),
  },
  responses: {
    200: jsonResponse(BulkResponse, 'One result per selected company and the totals', companyBulkResponseExample),
    202: bulkAccepted,
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
