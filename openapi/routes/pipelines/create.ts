import { createRoute } from '@hono/zod-openapi';
import { errorResponse, failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { PipelineInput, PipelineSchema, pipelineExample, pipelineInputExample } from '../../schemas/pipelines.ts';
import { idempotencyHeaders } from '../responses.ts';
import { pipelineCreatedHeaders } from './headers.ts';

export const createPipelineRoute = createRoute({
  method: 'post',
  path: '/api/v1/pipelines',
  operationId: 'createPipeline',
  tags: ['pipelines'],
  summary: 'Create a pipeline with its stages (admins, managers)',
  description:
    'Needs pipelines:manage. Give the stages in order; at least one must be open. Names are unique, ignoring case: pipelines within the organization, stages within their pipeline. With `isDefault: true` it becomes the default and the previous default stops being one. With an Idempotency-Key, a retry returns the first answer instead of a second pipeline.',
  security: [{ bearerAuth: [] }],
  request: { headers: idempotencyHeaders, body: jsonBody(PipelineInput, 'The pipeline', pipelineInputExample) },
  responses: {
    201: {
      description: 'Created',
      headers: pipelineCreatedHeaders,
      content: { 'application/json': { schema: PipelineSchema, example: pipelineExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    409: errorResponse('The name is taken, or the organization has as many pipelines as it may', {
      pipeline_name_taken: {
        summary: 'Another pipeline has this name',
        value: errorExample('pipeline_name_taken', 'A pipeline named "Enterprise" already exists'),
      },
      too_many_pipelines: {
        summary: 'At the limit',
        value: errorExample('too_many_pipelines', 'An organization can have at most 50 pipelines'),
      },
    }),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
