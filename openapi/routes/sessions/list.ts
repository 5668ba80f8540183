import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { SessionList, sessionListExample } from '../../schemas/sessions.ts';

export const listSessionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/me/sessions',
  operationId: 'listSessions',
  tags: ['sessions'],
  summary: "The caller's active sessions",
  description:
    'One entry per sign-in that can still refresh its tokens (a refresh-token family), newest use first, with where it was last used from. `current` marks the session of this request. API keys have no sessions (403).',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(SessionList, 'Active sessions', sessionListExample), ...pick(401, 403, 429) },
});
