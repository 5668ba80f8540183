import { createRoute } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const logoutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  operationId: 'logout',
  tags: ['auth'],
  summary: "Sign out: revoke this session's refresh tokens",
  security: [{ bearerAuth: [] }],
  responses: { 204: noContent('Signed out'), ...pick(401, 429) },
});
