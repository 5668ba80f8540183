import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { LeadMergeInput, leadMergeInputExample } from '../../schemas/duplicates.ts';
import { updatedLeadExample } from '../../schemas/examples.ts';
import { LeadSchema } from '../../schemas/leads.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const mergeLeadRoute = createRoute({
  method: 'post',
  path: '/api/v1/leads/{id}/merge',
  operationId: 'mergeLead',
  tags: ['leads'],
  summary: 'Merge a duplicate lead into this one',
  description:
    "In one transaction: this lead (the primary) takes the values chosen in `fields` from the duplicate (an unnamed field keeps the primary's value unless it is empty), the union of both leads' tags and, if only the duplicate was converted, its conversion; every activity, deal, contact and attachment of the duplicate moves to the primary; the duplicate is deleted. Needs leads:update and leads:delete. A duplicate the caller cannot see answers 404. Send If-Match with the primary's ETag to merge into the version you saw.",
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(LeadMergeInput, 'The duplicate and which values to keep', leadMergeInputExample),
  },
  responses: {
    200: {
      description: 'Merged: the primary lead as it is now',
      headers: etagHeader,
      content: { 'application/json': { schema: LeadSchema, example: updatedLeadExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: failureResponse(
      'If-Match no longer matches the primary',
      'precondition_failed',
      'The lead changed since you read it; read it again and retry',
    ),
  },
});
