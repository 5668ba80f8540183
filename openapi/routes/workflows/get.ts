import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { WorkflowSchema, workflowExample } from '../../schemas/workflows.ts';
import { etagHeader } from '../responses.ts';

export const getWorkflowRoute = createRoute({
  method: 'get',
  path: '/api/v1/workflows/{id}',
  operationId: 'getWorkflow',
  tags: ['workflows'],
  summary: 'Read one workflow',
  description:
    'Needs workflows:read. Webhook secrets read back masked. A workflow of another organization answers 404.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The workflow',
      headers: etagHeader,
      content: { 'application/json': { schema: WorkflowSchema, example: workflowExample } },
    },
    ...pick(400, 401, 403, 404, 429),
  },
});
