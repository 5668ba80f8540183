import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { PipelineList, pipelineListExample } from '../../schemas/pipelines.ts';

export const listPipelinesRoute = createRoute({
  method: 'get',
  path: '/api/v1/pipelines',
  operationId: 'listPipelines',
  tags: ['pipelines'],
  summary: 'List the pipelines, each with its stages in order',
  description:
    'Every role that may read deals may read the pipelines. An organization has at most 50, so they come in one answer, in order, the default marked `isDefault`.',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(PipelineList, 'Every pipeline', pipelineListExample), ...pick(401, 403, 429) },
});
