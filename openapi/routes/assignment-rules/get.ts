import { createRoute } from '@hono/zod-openapi';
import { AssignmentRuleSchema, assignmentRuleExample } from '../../schemas/assignment-rules.ts';
import { IdParam, pick } from '../../schemas/common.ts';
import { etagHeader } from '../responses.ts';

export const getAssignmentRuleRoute = createRoute({
  method: 'get',
  path: '/api/v1/assignment-rules/{id}',
  operationId: 'getAssignmentRule',
  tags: ['assignment-rules'],
  summary: 'Read one assignment rule',
  description: 'Needs assignment_rules:read. A rule of another organization answers 404.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The rule',
      headers: etagHeader,
      content: { 'application/json': { schema: AssignmentRuleSchema, example: assignmentRuleExample } },
    },
    ...pick(400, 401, 403, 404, 429),
  },
});
