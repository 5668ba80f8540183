import { createRoute } from '@hono/zod-openapi';
import { ActivitySchema, activityExample } from '../../schemas/activities.ts';
import { IdParam, pick } from '../../schemas/common.ts';
import { etagHeader } from '../responses.ts';

export const getActivityRoute = createRoute({
  method: 'get',
  path: '/api/v1/activities/{id}',
  operationId: 'getActivity',
  tags: ['activities'],
  summary: 'Read one activity',
  description:
    "An activity of another organization answers 404, as does one a sales rep does not own. Send If-None-Match with the ETag to get 304 when it hasn't changed.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The activity',
      headers: etagHeader,
      content: { 'application/json': { schema: ActivitySchema, example: activityExample } },
    },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...pick(400, 401, 403, 404, 429),
  },
});
