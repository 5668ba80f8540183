import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { PipelineSchema, pipelineExample } from '../../schemas/pipelines.ts';
import { etagHeader } from '../responses.ts';

export const getPipelineRoute = createRoute({
  method: 'get',
  path: '/api/v1/pipelines/{id}',
  operationId: 'getPipeline',
  tags: ['pipelines'],
  summary: 'Read one pipeline and its stages',
  description:
    "The ETag changes with every change to the pipeline or any of its stages. Send If-None-Match with it to get 304 when nothing changed. Another organization's pipeline answers 404.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The pipeline',
      headers: etagHeader,
      content: { 'application/json': { schema: PipelineSchema, example: pipelineExample } },
    },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...pick(400, 401, 403, 404, 429),
  },
});
