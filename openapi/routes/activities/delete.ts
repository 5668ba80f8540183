import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, pick } from '../../schemas/common.ts';
import { ifMatchHeaders, noContent } from '../responses.ts';

export const deleteActivityRoute = createRoute({
  method: 'delete',
  path: '/api/v1/activities/{id}',
  operationId: 'deleteActivity',
  tags: ['activities'],
  summary: 'Delete an activity',
  description:
    'Sales reps may delete the activities they own. Send If-Match with the ETag you last read to be sure you delete the version you saw.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, headers: ifMatchHeaders },
  responses: {
    204: noContent('Deleted'),
    ...pick(400, 401, 403, 404, 429),
    412: failureResponse(
      'If-Match no longer matches',
      'precondition_failed',
      'The activity changed since you read it; read it again and retry',
    ),
  },
});
