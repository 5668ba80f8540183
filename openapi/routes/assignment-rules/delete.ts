import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const deleteAssignmentRuleRoute = createRoute({
  method: 'delete',
  path: '/api/v1/assignment-rules/{id}',
  operationId: 'deleteAssignmentRule',
  tags: ['assignment-rules'],
  summary: 'Delete an assignment rule',
  description:
    'Needs assignment_rules:manage. Leads it assigned keep their owners, and their assignment explanations still name it.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...pick(400, 401, 403, 404, 429) },
});
