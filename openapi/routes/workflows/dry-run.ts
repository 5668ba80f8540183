import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { DryRunInput, DryRunResult, dryRunInputExample, dryRunResultExample } from '../../schemas/workflows.ts';

export const dryRunWorkflowRoute = createRoute({
  method: 'post',
  path: '/api/v1/workflows/{id}/dry-run',
  operationId: 'dryRunWorkflow',
  tags: ['workflows'],
  summary: 'Try a workflow on a sample record, changing nothing',
  description:
    'Needs workflows:read. Evaluates the trigger’s conditions against `record` (a sample, as the API shows that kind of record) or the record `recordId` (read as you may read it), with `changes` for `changed_to`, and says what each action would do. Nothing is written: no run, no task, no email.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(DryRunInput, 'The sample', dryRunInputExample) },
  responses: {
    200: jsonResponse(DryRunResult, 'Which conditions held and what would happen', dryRunResultExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
  },
});
