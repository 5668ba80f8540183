import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { leadPatchExample, updatedLeadExample } from '../../schemas/examples.ts';
import { LeadPatch, LeadSchema } from '../../schemas/leads.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const updateLeadRoute = createRoute({
  method: 'patch',
  path: '/api/v1/leads/{id}',
  operationId: 'updateLead',
  tags: ['leads'],
  summary: 'Change a lead (rescored on write)',
  description:
    'Send only the fields to change; `null` clears an optional one. Send If-Match with the ETag you last read so a concurrent change is not overwritten (412 if it was).',
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(LeadPatch, 'The fields to change', leadPatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: { 'application/json': { schema: LeadSchema, example: updatedLeadExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: failureResponse(
      'If-Match no longer matches: someone changed the lead first',
      'precondition_failed',
      'The lead changed since you read it; read it again and retry',
    ),
  },
});
