import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, pick } from '../../schemas/common.ts';
import {
  ConversionResult,
  ConvertLeadInput,
  conversionResultExample,
  convertLeadInputExample,
} from '../../schemas/conversion.ts';
import { idempotencyHeaders, ifMatchHeaders } from '../responses.ts';

export const convertLeadRoute = createRoute({
  method: 'post',
  path: '/api/v1/leads/{id}/convert',
  operationId: 'convertLead',
  tags: ['leads'],
  summary: 'Convert a lead into a contact, its company and optionally a deal',
  description: [
    'In one transaction: creates a contact from the lead (lifecycle stage `opportunity` when a deal is opened, else `lead`), finds the company by domain',
    "(the one given, else the lead's email domain unless it is a webmail provider's) or creates one named after the lead's company (none if the lead has no company),",
    "optionally opens a deal (default: the organization's default pipeline, its first open stage), and marks the lead converted.",
    'If any step fails nothing is kept. The body is optional. Needs leads:update and contacts:create, plus companies:create when a company is made and deals:create for a deal.',
    "A lead converts once: again answers 409 `already_converted`. Send If-Match with the lead's ETag to convert only the version you saw.",
  ].join(' '),
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders.extend(idempotencyHeaders.shape),
    body: {
      required: false,
      description: 'How to convert; every field is optional',
      content: { 'application/json': { schema: ConvertLeadInput, example: convertLeadInputExample } },
    },
  },
  responses: {
    201: {
      description: 'Converted: the lead as it is now and the records made or linked',
      headers: {
        Location: {
          description: 'The URL of the new contact',
          schema: { type: 'string' as const, example: '/api/v1/contacts/0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e' },
        },
        'Idempotent-Replayed': {
          description:
            'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string' as const, enum: ['true'] },
        },
      },
      content: { 'application/json': { schema: ConversionResult, example: conversionResultExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: failureResponse('The lead was converted before', 'already_converted', 'This lead was already converted'),
    412: failureResponse(
      'If-Match no longer matches',
      'precondition_failed',
      'The lead changed since you read it; read it again and retry',
    ),
    422: failureResponse(
      'The Idempotency-Key was used before with another request',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
