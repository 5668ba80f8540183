import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { SessionsRevoked } from '../../schemas/sessions.ts';

export const revokeUserSessionsRoute = createRoute({
  method: 'delete',
  path: '/api/v1/users/{id}/sessions',
  operationId: 'revokeUserSessions',
  tags: ['sessions'],
  summary: 'Sign a user out everywhere (admins)',
  description:
    'Ends every session of the user (`users:manage`): refresh tokens at once, access tokens within seconds. The user can sign in again unless disabled. Recorded in the audit log as `auth.sessions_revoked`.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 200: jsonResponse(SessionsRevoked, 'Ended', { revoked: 3 }), ...pick(400, 401, 403, 404, 429) },
});
