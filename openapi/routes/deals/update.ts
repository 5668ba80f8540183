import { createRoute } from '@hono/zod-openapi';
import { jsonBody, pick } from '../../schemas/common.ts';
import { DealIdParam, DealPatch, DealSchema, dealPatchExample, updatedDealExample } from '../../schemas/deals.ts';
import { ifMatchHeaders } from '../responses.ts';
import { dealHeaders, dealPreconditionFailed, dealWriteBadRequest } from './deal-responses.ts';

export const updateDealRoute = createRoute({
  method: 'patch',
  path: '/api/v1/deals/{id}',
  operationId: 'updateDeal',
  tags: ['deals'],
  summary: 'Change a deal, or move it to another stage or pipeline',
  description:
    "Send only the fields to change; `null` clears an optional one. A new `stageId` must be a stage of the deal's pipeline (or of the new `pipelineId`); a new `pipelineId` alone moves the deal to that pipeline's first open stage. Every move is written to the stage history with the time spent in the stage left: entering a won or lost stage closes the deal (status, closedAt), entering an open stage reopens it. Send If-Match with the ETag you last read so a concurrent change is not overwritten (412 if it was).",
  security: [{ bearerAuth: [] }],
  request: {
    params: DealIdParam,
    headers: ifMatchHeaders,
    body: jsonBody(DealPatch, 'The fields to change', dealPatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: dealHeaders,
      content: { 'application/json': { schema: DealSchema, example: updatedDealExample } },
    },
    400: dealWriteBadRequest,
    ...pick(401, 403, 404, 413, 415, 429),
    412: dealPreconditionFailed,
  },
});
