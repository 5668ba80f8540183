import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { WorkflowPatch, WorkflowSchema, workflowExample, workflowPatchExample } from '../../schemas/workflows.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

const preconditionFailed = failureResponse(
  'If-Match no longer matches: someone changed the workflow first',
  'precondition_failed',
  'The workflow changed since you read it; read it again and retry',
);

export const updateWorkflowRoute = createRoute({
  method: 'patch',
  path: '/api/v1/workflows/{id}',
  operationId: 'updateWorkflow',
  tags: ['workflows'],
  summary: 'Change a workflow',
  description:
    'Needs workflows:manage. Send only the fields to change (`enabled: false` disables it); `actions` replaces the list. Runs already started keep the actions they started with, but a disabled or deleted workflow runs no further step. Send If-Match with the ETag you last read (412 if it changed since).',
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(WorkflowPatch, 'The fields to change', workflowPatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: { 'application/json': { schema: WorkflowSchema, example: { ...workflowExample, enabled: false } } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: preconditionFailed,
  },
});

const toggle = (enabled: boolean) =>
  createRoute({
    method: 'post',
    path: `/api/v1/workflows/{id}/${enabled ? 'enable' : 'disable'}`,
    operationId: enabled ? 'enableWorkflow' : 'disableWorkflow',
    tags: ['workflows'],
    summary: enabled ? 'Enable a workflow' : 'Disable a workflow',
    description: `Needs workflows:manage. The same as a PATCH of \`enabled: ${enabled}\`${enabled ? '' : ': no new run starts, and runs waiting stop before their next step'}. If-Match is honoured.`,
    security: [{ bearerAuth: [] }],
    request: { params: IdParam, headers: ifMatchHeaders },
    responses: {
      200: {
        description: enabled ? 'Enabled' : 'Disabled',
        headers: etagHeader,
        content: { 'application/json': { schema: WorkflowSchema, example: { ...workflowExample, enabled } } },
      },
      ...pick(400, 401, 403, 404, 429),
      412: preconditionFailed,
    },
  });

export const enableWorkflowRoute = toggle(true);
export const disableWorkflowRoute = toggle(false);
