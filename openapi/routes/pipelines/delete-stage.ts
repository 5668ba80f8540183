import { createRoute } from '@hono/zod-openapi';
import { errorResponse, failureResponse, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { PipelineSchema, pipelineWithoutStageExample, StageParams } from '../../schemas/pipelines.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const deleteStageRoute = createRoute({
  method: 'delete',
  path: '/api/v1/pipelines/{id}/stages/{stageId}',
  operationId: 'deletePipelineStage',
  tags: ['pipelines'],
  summary: 'Delete an empty stage (admins, managers)',
  description:
    'Needs pipelines:manage. Refused with 409 while any deal is in the stage, and for the last open stage of the pipeline. The later stages move up one. Answers the pipeline as it is now. If-Match takes the pipeline ETag (412 if it changed).',
  security: [{ bearerAuth: [] }],
  request: { params: StageParams, headers: ifMatchHeaders },
  responses: {
    200: {
      description: 'Deleted; the pipeline with its remaining stages',
      headers: etagHeader,
      content: { 'application/json': { schema: PipelineSchema, example: pipelineWithoutStageExample } },
    },
    ...pick(400, 401, 403, 404, 429),
    409: errorResponse('Deals are in the stage, or it is the last open one', {
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
