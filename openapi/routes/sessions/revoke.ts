import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const revokeSessionRoute = createRoute({
  method: 'delete',
  path: '/api/v1/me/sessions/{id}',
  operationId: 'revokeSession',
  tags: ['sessions'],
  summary: 'End one of the caller’s sessions',
  description:
    "Its refresh tokens stop working at once and its access tokens within seconds (each region re-reads a session's standing every few seconds). Ending the current session signs this client out. Another user's or organization's session, or one already ended, is 404.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Ended'), ...pick(400, 401, 403, 404, 429) },
});
