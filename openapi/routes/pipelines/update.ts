import { createRoute } from '@hono/zod-openapi';
import { errorResponse, failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import {
  PipelinePatch,
  PipelineSchema,
  pipelinePatchExample,
  updatedPipelineExample,
} from '../../schemas/pipelines.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const updatePipelineRoute = createRoute({
  method: 'patch',
  path: '/api/v1/pipelines/{id}',
  operationId: 'updatePipeline',
  tags: ['pipelines'],
  summary: 'Rename a pipeline or make it the default (admins, managers)',
  description:
    'Needs pipelines:manage. The organization always has exactly one default pipeline (where deals go when no pipeline is named): `isDefault: true` moves the default here; `false` on the default answers 409. Stages are changed through their own routes. Send If-Match with the ETag you last read (412 if it changed).',
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(PipelinePatch, 'The fields to change', pipelinePatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: { 'application/json': { schema: PipelineSchema, example: updatedPipelineExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: errorResponse('The name is taken, or the change would leave no default pipeline', {
      pipeline_name_taken: {
        summary: 'Another pipeline has this name',
        value: errorExample('pipeline_name_taken', 'A pipeline named "Enterprise" already exists'),
      },
      default_pipeline_required: {
        summary: 'Unsetting the only default',
        value: errorExample(
          'default_pipeline_required',
          'The organization always has a default pipeline; make another pipeline the default instead',
        ),
      },
    }),
    412: failureResponse(
      'If-Match no longer matches: someone changed the pipeline first',
      'precondition_failed',
      'The pipeline changed since you read it; read it again and retry',
    ),
  },
});
