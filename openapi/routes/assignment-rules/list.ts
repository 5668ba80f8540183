import { createRoute } from '@hono/zod-openapi';
import { AssignmentRuleList, assignmentRuleListExample } from '../../schemas/assignment-rules.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';

export const listAssignmentRulesRoute = createRoute({
  method: 'get',
  path: '/api/v1/assignment-rules',
  operationId: 'listAssignmentRules',
  tags: ['assignment-rules'],
  summary: "The organization's lead assignment rules, in the order they are tried",
  description:
    'Needs assignment_rules:read (every role). A new lead without an owner goes to the first active rule whose conditions it meets and that has a rep who can take it: a member who is an active sales rep or manager, in their own territory if they have one, not away and below their open-lead limit.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(AssignmentRuleList, 'The rules', assignmentRuleListExample),
    ...pick(401, 403, 429),
  },
});
