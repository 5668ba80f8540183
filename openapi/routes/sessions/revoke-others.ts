import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { SessionsRevoked } from '../../schemas/sessions.ts';

export const revokeOtherSessionsRoute = createRoute({
  method: 'delete',
  path: '/api/v1/me/sessions',
  operationId: 'revokeOtherSessions',
  tags: ['sessions'],
  summary: 'Sign out everywhere else',
  description: "Ends every session of the caller except this request's own, and says how many were ended.",
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(SessionsRevoked, 'Ended', { revoked: 2 }), ...pick(401, 403, 429) },
});
