import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { WorkflowList, workflowExample } from '../../schemas/workflows.ts';

export const listWorkflowsRoute = createRoute({
  method: 'get',
  path: '/api/v1/workflows',
  operationId: 'listWorkflows',
  tags: ['workflows'],
  summary: "The organization's automation workflows",
  description:
    'Needs workflows:read (admins and managers). Each workflow starts a run for every event of its trigger whose record meets its conditions, and runs its actions in order.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(WorkflowList, 'The workflows, oldest first', { data: [workflowExample] }),
    ...pick(401, 403, 429),
  },
});
