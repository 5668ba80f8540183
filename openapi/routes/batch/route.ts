import { createRoute } from '@hono/zod-openapi';
import { BatchRequest, BatchResponse, batchRequestExample, batchResponseExample } from '../../schemas/batch.ts';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { idempotencyHeaders } from '../responses.ts';

export type BatchResource = 'leads' | 'contacts' | 'companies' | 'deals';

const keys: Record<BatchResource, string> = {
  leads: '`email` or `externalId`',
  contacts: '`email` or `externalId`',
  companies: '`domain` or `externalId`',
  deals: '`externalId`',
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
    description: `Validates each record like the single create (plus an optional \`externalId\`, unique in the organization) and writes the valid ones in transactions of up to 500 records, each change audited with its event. Upserts match on ${keys[resource]}; a matched record the caller may not see fails with \`not_found\`. The body may be up to 8 MiB. With an Idempotency-Key, a retried request returns the first answer.`,
    security: [{ bearerAuth: [] }],
    request: {
      headers: idempotencyHeaders,
      body: jsonBody(BatchRequest, 'The records and how to write them', batchRequestExample),
    },
    responses: {
      200: jsonResponse(BatchResponse, 'One result per record, in order, and the totals', batchResponseExample),
      ...pick(400, 401, 403, 413, 415, 429),
      422: failureResponse(
        'The Idempotency-Key was used before with another body',
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request',
      ),
    },
  });

export const batchLeadsRoute = batchRoute('leads');
