import { createRoute } from '@hono/zod-openapi';
import { errorResponse, failureResponse, IdParam, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { ifMatchHeaders, noContent } from '../responses.ts';

export const deletePipelineRoute = createRoute({
  method: 'delete',
  path: '/api/v1/pipelines/{id}',
  operationId: 'deletePipeline',
  tags: ['pipelines'],
  summary: 'Delete a pipeline and its stages (admins, managers)',
  description:
    'Needs pipelines:manage. Refused with 409 while any deal is in the pipeline, and for the default pipeline. Send If-Match with the ETag you last read to be sure you delete the version you saw.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, headers: ifMatchHeaders },
  responses: {
    204: noContent('Deleted'),
    ...pick(400, 401, 403, 404, 429),
    409: errorResponse('Deals are still in the pipeline, or it is the default', {
      pipeline_has_deals: {
        summary: 'Deals are in it',
        value: errorExample('pipeline_has_deals', '3 deal(s) are in this pipeline; move or delete them first'),
      },
      default_pipeline: {
        summary: 'It is the default',
        value: errorExample(
          'default_pipeline',
          'The default pipeline cannot be deleted; make another one the default first',
        ),
      },
    }),
    412: failureResponse(
      'If-Match no longer matches',
      'precondition_failed',
      'The pipeline changed since you read it; read it again and retry',
    ),
  },
});
