import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const deleteWorkflowRoute = createRoute({
  method: 'delete',
  path: '/api/v1/workflows/{id}',
  operationId: 'deleteWorkflow',
  tags: ['workflows'],
  summary: 'Delete a workflow',
  description:
    'Needs workflows:manage. Its run log stays readable; runs waiting stop before their next step. What its runs did stays done.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...pick(400, 401, 403, 404, 429) },
});
