import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { WorkflowInput, WorkflowSchema, workflowExample, workflowInputExample } from '../../schemas/workflows.ts';
import { etagHeader, idempotencyHeaders } from '../responses.ts';

export const createWorkflowRoute = createRoute({
  method: 'post',
  path: '/api/v1/workflows',
  operationId: 'createWorkflow',
  tags: ['workflows'],
  summary: 'Create an automation workflow',
  description:
    'Needs workflows:manage (admins). A trigger (an event type and conditions on its record) and up to 20 ordered actions. A condition naming a field the record does not have, an update_field value its update would refuse, or a member who is not active is refused (400 naming each). A workflow never starts on an event its own run caused, and a chain of workflows stops after five.',
  security: [{ bearerAuth: [] }],
  request: {
    headers: idempotencyHeaders,
    body: jsonBody(WorkflowInput, 'The workflow', workflowInputExample),
  },
  responses: {
    201: {
      description: 'Created',
      headers: {
        ...etagHeader,
        Location: {
          description: 'The URL of the new workflow',
          schema: { type: 'string' as const, example: `/api/v1/workflows/${workflowExample.id}` },
        },
        'Idempotent-Replayed': {
          description:
            'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string' as const, enum: ['true'] },
        },
      },
      content: { 'application/json': { schema: WorkflowSchema, example: workflowExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
