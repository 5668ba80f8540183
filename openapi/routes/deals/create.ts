import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { DealInput, DealSchema, dealExample, dealInputExample } from '../../schemas/deals.ts';
import { idempotencyHeaders } from '../responses.ts';
import { dealCreatedHeaders, dealWriteBadRequest } from './deal-responses.ts';

export const createDealRoute = createRoute({
  method: 'post',
  path: '/api/v1/deals',
  operationId: 'createDeal',
  tags: ['deals'],
  summary: 'Create a deal in a pipeline stage',
  description:
    "Without `pipelineId` the deal goes into the default pipeline; without `stageId`, into the pipeline's first open stage. A stage of kind won or lost closes the deal at once. The placement is the first row of the deal's stage history. `amount` is a decimal string (default \"0.00\"), `currency` an ISO 4217 code (default USD). A sales rep's deal is theirs unless they name themself otherwise. With an Idempotency-Key, a retry returns the first answer instead of a second deal.",
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(DealInput, 'The deal', dealInputExample) },
  responses: {
    201: {
      description: 'Created',
      headers: dealCreatedHeaders,
      content: { 'application/json': { schema: DealSchema, example: dealExample } },
    },
    400: dealWriteBadRequest,
    ...pick(401, 403, 413, 415, 429),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
