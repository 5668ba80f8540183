import { createRoute } from '@hono/zod-openapi';
import { errorResponse, failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import {
  PipelineSchema,
  pipelineWithMovedStageExample,
  StageParams,
  StagePatch,
  stagePatchExample,
} from '../../schemas/pipelines.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const updateStageRoute = createRoute({
  method: 'patch',
  path: '/api/v1/pipelines/{id}/stages/{stageId}',
  operationId: 'updatePipelineStage',
  tags: ['pipelines'],
  summary: 'Rename, reweight, re-kind or move a stage (admins, managers)',
  description:
    'Needs pipelines:manage. `position` moves the stage there and the others close up, so positions stay 0, 1, 2, …. `kind` cannot change while deals sit in the stage (their status follows it), nor leave the pipeline without an open stage. Answers the whole pipeline. If-Match takes the pipeline ETag (412 if it changed).',
  security: [{ bearerAuth: [] }],
  request: {
    params: StageParams,
    headers: ifMatchHeaders,
    body: jsonBody(StagePatch, 'The fields to change', stagePatchExample),
  },
  responses: {
    200: {
      description: 'Changed; the pipeline with its stages',
      headers: etagHeader,
      content: { 'application/json': { schema: PipelineSchema, example: pipelineWithMovedStageExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: errorResponse('The name is taken, or the kind cannot change', {
      stage_name_taken: {
        summary: 'Another stage has this name',
        value: errorExample('stage_name_taken', 'This pipeline already has a stage named "Proposal"'),
      },
      stage_has_deals: {
        summary: 'Deals are in the stage',
        value: errorExample('stage_has_deals', '2 deal(s) are in this stage; move them out first'),
      },
      open_stage_required: {
        summary: 'It is the last open stage',
        value: errorExample('open_stage_required', 'A pipeline needs at least one open stage'),
      },
    }),
    412: failureResponse(
      'If-Match no longer matches the pipeline',
      'precondition_failed',
      'The pipeline changed since you read it; read it again and retry',
    ),
  },
});
