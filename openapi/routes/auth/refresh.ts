import { createRoute } from '@hono/zod-openapi';
import { RefreshInput, TokenResponse } from '../../schemas/auth.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';

export const refreshRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  operationId: 'refreshToken',
  tags: ['auth'],
  summary: 'Trade a refresh token for new tokens',
  description:
    'Refresh tokens rotate: each is good once. Presenting one that was already used revokes its whole family (every token descended from the same sign-in).',
  request: { body: jsonBody(RefreshInput, 'The current refresh token') },
  responses: { 200: jsonResponse(TokenResponse, 'New tokens'), ...pick(400, 401, 413, 415, 429) },
});
