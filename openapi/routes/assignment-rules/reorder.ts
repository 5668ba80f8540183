import { createRoute } from '@hono/zod-openapi';
import {
  AssignmentRuleList,
  AssignmentRuleOrder,
  assignmentRuleOrderExample,
  reorderedAssignmentRulesExample,
} from '../../schemas/assignment-rules.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';

export const reorderAssignmentRulesRoute = createRoute({
  method: 'put',
  path: '/api/v1/assignment-rules/order',
  operationId: 'reorderAssignmentRules',
  tags: ['assignment-rules'],
  summary: 'Set the order in which assignment rules are tried',
  description:
    'Needs assignment_rules:manage. Name every rule of the organization exactly once, first to be tried first; a missing or unknown id answers 400 naming it.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(AssignmentRuleOrder, 'The rule ids, in order', assignmentRuleOrderExample) },
  responses: {
    200: jsonResponse(AssignmentRuleList, 'The rules in their new order', reorderedAssignmentRulesExample),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
