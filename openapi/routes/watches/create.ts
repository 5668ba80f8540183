import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { WatchInput, WatchSchema, watchExample, watchInputExample } from '../../schemas/watches.ts';

export const createWatchRoute = createRoute({
  method: 'post',
  path: '/api/v1/watches',
  operationId: 'createWatch',
  tags: ['watches'],
  summary: 'Watch a record or a saved view',
  description:
    'The caller is told (a `record_changed` notification, by their preferences) when someone else changes a watched record or logs an activity on it, and gets a periodic digest of the records new or changed in a watched saved view. Only what the caller may read can be watched: a record or view they cannot see answers 404, a kind of record their role cannot read 403; members only (an API key answers 403). Watching something already watched answers 200 with the existing watch. Access is checked again at every notification, so a member who loses it stops being told.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(WatchInput, 'What to watch', watchInputExample) },
  responses: {
    201: {
      description: 'Watching',
      headers: {
        Location: {
          description: 'The URL of the new watch',
          schema: { type: 'string' as const, example: '/api/v1/watches/0193a601-1a2b-7c3d-8e4f-5a6b7c8d9e0f' },
        },
      },
      content: { 'application/json': { schema: WatchSchema, example: watchExample } },
    },
    200: jsonResponse(WatchSchema, 'Already watched: the existing watch', watchExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
  },
});
