import { createRoute } from '@hono/zod-openapi';
import {
  ActivityPatch,
  ActivitySchema,
  activityPatchExample,
  completedActivityExample,
} from '../../schemas/activities.ts';
import { failureResponse, IdParam, jsonBody, pick } from '../../schemas/common.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const updateActivityRoute = createRoute({
  method: 'patch',
  path: '/api/v1/activities/{id}',
  operationId: 'updateActivity',
  tags: ['activities'],
  summary: 'Change an activity, or complete a task',
  description:
    "Send only the fields to change, and only those of the activity's type (its type never changes); `null` clears an optional one. `done: true` completes a task and sets completedAt; `done: false` reopens it and clears completedAt. At least one link must remain. Send If-Match with the ETag you last read so a concurrent change is not overwritten (412 if it was).",
  security: [{ bearerAuth: [] }],
  request: {
    params: IdParam,
    headers: ifMatchHeaders,
    body: jsonBody(ActivityPatch, 'The fields to change', activityPatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: { 'application/json': { schema: ActivitySchema, example: completedActivityExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    412: failureResponse(
      'If-Match no longer matches: someone changed the activity first',
      'precondition_failed',
      'The activity changed since you read it; read it again and retry',
    ),
  },
});
