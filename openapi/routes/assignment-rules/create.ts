import { createRoute } from '@hono/zod-openapi';
import {
  AssignmentRuleInput,
  AssignmentRuleSchema,
  assignmentRuleExample,
  assignmentRuleInputExample,
} from '../../schemas/assignment-rules.ts';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { etagHeader, idempotencyHeaders } from '../responses.ts';

export const createAssignmentRuleRoute = createRoute({
  method: 'post',
  path: '/api/v1/assignment-rules',
  operationId: 'createAssignmentRule',
  tags: ['assignment-rules'],
  summary: 'Add a lead assignment rule',
  description:
    'Needs assignment_rules:manage (admins and managers). The rule is tried after the existing ones; reorder to move it. Members must be active sales reps or managers of the organization (400 naming each one otherwise). With an Idempotency-Key, a retried request returns the first answer.',
  security: [{ bearerAuth: [] }],
  request: {
    headers: idempotencyHeaders,
    body: jsonBody(AssignmentRuleInput, 'The rule', assignmentRuleInputExample),
  },
  responses: {
    201: {
      description: 'Added',
      headers: {
        ...etagHeader,
        Location: {
          description: 'The URL of the new rule',
          schema: {
            type: 'string' as const,
            example: '/api/v1/assignment-rules/0193a5fd-2b3c-7d4e-9f5a-6b7c8d9e0f1a',
          },
        },
        'Idempotent-Replayed': {
          description:
            'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string' as const, enum: ['true'] },
        },
      },
      content: { 'application/json': { schema: AssignmentRuleSchema, example: assignmentRuleExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
