import { createRoute } from '@hono/zod-openapi';
import { errorResponse, failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { PipelineSchema, pipelineWithStageExample, StageCreate, stageCreateExample } from '../../schemas/pipelines.ts';
import { idempotencyHeaders, ifMatchHeaders } from '../responses.ts';
import { pipelineCreatedHeaders } from './headers.ts';

export const addStageRoute = createRoute({
  method: 'post',
  path: '/api/v1/pipelines/{id}/stages',
  operationId: 'addPipelineStage',
  tags: ['pipelines'],
  summary: 'Add a stage to a pipeline (admins, managers)',
  description:
    'Needs pipelines:manage. Inserts the stage at `position` (zero-based; default last) and moves the later stages down one, so positions stay 0, 1, 2, …. Answers the whole pipeline; the new stage is the one with the name you gave (names are unique within a pipeline). If-Match takes the pipeline ETag. With an Idempotency-Key, a retry returns the first answer instead of a second stage.',
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: idempotencyHeaders.extend(ifMatchHeaders.shape),
    body: jsonBody(StageCreate, 'The stage', stageCreateExample),
  },
  responses: {
    201: {
      description: 'Added; the pipeline with its stages',
      headers: pipelineCreatedHeaders,
      content: { 'application/json': { schema: PipelineSchema, example: pipelineWithStageExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: errorResponse('The name is taken in this pipeline, or it has as many stages as it may', {
      stage_name_taken: {
        summary: 'Another stage has this name',
        value: errorExample('stage_name_taken', 'This pipeline already has a stage named "Proposal"'),
      },
      too_many_stages: {
        summary: 'At the limit',
        value: errorExample('too_many_stages', 'A pipeline can have at most 50 stages'),
      },
    }),
    412: failureResponse(
      'If-Match no longer matches the pipeline',
      'precondition_failed',
      'The pipeline changed since you read it; read it again and retry',
    ),
    422: failureResponse(
      'The Idempotency-Key was used before with another body',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
