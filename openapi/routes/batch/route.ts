import { createRoute } from '@hono/zod-openapi';
import { BatchRequest, BatchResponse, batchExamples } from '../../schemas/batch.ts';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { idempotencyHeaders } from '../responses.ts';

export type BatchResource = 'leads' | 'contacts' | 'companies' | 'deals';

const keys: Record<BatchResource, string> = {
  leads: '`email` (case-insensitive) or `externalId`',
  contacts: '`email` (case-insensitive) or `externalId`',
  companies: '`domain` (normalised like the single create: a URL counts as its bare host) or `externalId`',
  deals: '`externalId`',
};

/** What each resource's records are checked against beyond their schema, as its single create checks them. */
const rules: Record<BatchResource, string> = {
  leads: 'Each lead is scored as on a single create or update.',
  contacts:
    'A `companyId` must be a company of the organization; a change of marketing consent gets its own audit entry.',
  companies:
    'A domain stays unique in the organization (`domain_taken`); a sales rep may update only the companies they own (`forbidden`).',
  deals:
    "`pipelineId` and `stageId` must be a pipeline of the organization and one of its stages (by default the default pipeline's first open stage), `contactId` a contact the caller may see and `companyId` a company of the organization; every placement or move is written to the stage history.",
};

const operationIds: Record<BatchResource, string> = {
  leads: 'batchLeads',
  contacts: 'batchContacts',
  companies: 'batchCompanies',
  deals: 'batchDeals',
};

/** One batch route per resource: the same contract, each with its own path, tag and match keys. */
export const batchRoute = (resource: BatchResource) =>
  createRoute({
    method: 'post',
    path: `/api/v1/${resource}/batch`,
    operationId: operationIds[resource],
    tags: [resource],
    summary: `Create or upsert up to 1,000 ${resource} at once`,
    description: `Validates each record like the single create (plus an optional \`externalId\`, unique in the organization), its \`customFields\` against the organization's definitions, and writes the valid ones in transactions of up to 500 records, each change audited with its event; an invalid record fails alone with its error and nothing of it is written. Upserts match on ${keys[resource]} and update the matched record as a PATCH would (only the fields sent change); a matched record the caller may not see fails with \`not_found\`. ${rules[resource]} The body may be up to 8 MiB. With an Idempotency-Key, a retried request returns the first answer.`,
    security: [{ bearerAuth: [] }],
    request: {
      headers: idempotencyHeaders,
      body: jsonBody(BatchRequest, 'The records and how to write them', batchExamples[resource].request),
    },
    responses: {
      200: jsonResponse(
        BatchResponse,
        'One result per record, in order, and the totals',
        batchExamples[resource].response,
      ),
      ...pick(400, 401, 403, 413, 415, 429),
      422: failureResponse(
        'The Idempotency-Key was used before with another body',
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request',
      ),
    },
  });

export const batchLeadsRoute = batchRoute('leads');
export const batchContactsRoute = batchRoute('contacts');
export const batchCompaniesRoute = batchRoute('companies');
export const batchDealsRoute = batchRoute('deals');
