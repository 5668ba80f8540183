import { createRoute } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const logoutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  operationId: 'logout',
  tags: ['auth'],
  summary: "Sign out: revoke this session's refresh tokens",
  description:
    'Sends no body. The refresh tokens of this sign-in stop working at once; the access token lives until it expires (`expiresIn` seconds after it was issued), so a client should drop it too.',
  security: [{ bearerAuth: [] }],
  responses: { 204: noContent('Signed out'), ...pick(401, 429) },
});
