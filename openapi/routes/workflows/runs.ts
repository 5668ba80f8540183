import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import {
  RunParams,
  RunsQuery,
  WorkflowRunPage,
  WorkflowRunSchema,
  workflowRunExample,
} from '../../schemas/workflows.ts';

export const listWorkflowRunsRoute = createRoute({
  method: 'get',
  path: '/api/v1/workflows/{id}/runs',
  operationId: 'listWorkflowRuns',
  tags: ['workflows'],
  summary: "A workflow's run log, newest first",
  description:
    'Needs workflows:read. One run per triggering event: `running`, `waiting` (a wait step), `succeeded`, `failed` (a step failed for good, or used up its retries) or `skipped` (loop protection, with the reason). Keyset pagination: pass `nextCursor` as `cursor`.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, query: RunsQuery },
  responses: {
    200: jsonResponse(WorkflowRunPage, 'A page of runs', {
      data: [{ ...workflowRunExample, steps: undefined }],
      nextCursor: null,
    }),
    ...pick(400, 401, 403, 429),
  },
});

export const getWorkflowRunRoute = createRoute({
  method: 'get',
  path: '/api/v1/workflows/{id}/runs/{runId}',
  operationId: 'getWorkflowRun',
  tags: ['workflows'],
  summary: 'One run, step by step',
  description:
    'Needs workflows:read. Each step with its status (`ok`, `failed`, `skipped`, `waiting`), its result or error, its attempts and timings.',
  security: [{ bearerAuth: [] }],
  request: { params: RunParams },
  responses: {
    200: jsonResponse(WorkflowRunSchema, 'The run', workflowRunExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
