import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { leadExample, leadInputExample } from '../../schemas/examples.ts';
import { LeadInput, LeadSchema } from '../../schemas/leads.ts';
import { createdHeaders, idempotencyHeaders } from '../responses.ts';

export const createLeadRoute = createRoute({
  method: 'post',
  path: '/api/v1/leads',
  operationId: 'createLead',
  tags: ['leads'],
  summary: 'Create a lead (scored on write)',
  description:
    'Give at least a name, an email or a phone number. The answer carries the score (0–100) and the reasons behind it. With an Idempotency-Key, a retried request returns the first answer instead of making a duplicate.',
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(LeadInput, 'The lead', leadInputExample) },
  responses: {
    201: {
      description: 'Created',
      headers: {
        ...createdHeaders,
        'Possible-Duplicates': {
          description:
            'How many likely duplicates of the new lead the caller can see among leads and contacts (at most 20); list them with GET /api/v1/leads/{id}/duplicates',
          schema: { type: 'integer' as const, minimum: 0, maximum: 20, example: 1 },
        },
      },
      content: { 'application/json': { schema: LeadSchema, example: leadExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
