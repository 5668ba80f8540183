import { createRoute } from '@hono/zod-openapi';
import {
  AssignmentRulePatch,
  AssignmentRuleSchema,
  assignmentRulePatchExample,
  updatedAssignmentRuleExample,
} from '../../schemas/assignment-rules.ts';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const updateAssignmentRuleRoute = createRoute({
  method: 'patch',
  path: '/api/v1/assignment-rules/{id}',
  operationId: 'updateAssignmentRule',
  tags: ['assignment-rules'],
  summary: 'Change an assignment rule',
  description:
    'Needs assignment_rules:manage. Send only the fields to change; `members` replaces the whole list (a round-robin rotation continues after the rep it chose last, if they are still a member). Send If-Match with the ETag you last read (412 if the rule changed since).',
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(AssignmentRulePatch, 'The fields to change', assignmentRulePatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: { 'application/json': { schema: AssignmentRuleSchema, example: updatedAssignmentRuleExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: failureResponse(
      'If-Match no longer matches: someone changed the rule first',
      'precondition_failed',
      'The assignment rule changed since you read it; read it again and retry',
    ),
  },
});
