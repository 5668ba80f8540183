import { createRoute } from '@hono/zod-openapi';
import { RefreshInput, TokenResponse } from '../../schemas/auth.ts';
import { errorResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { errorExample, refreshInputExample, tokenResponseExample } from '../../schemas/examples.ts';

export const refreshRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  operationId: 'refreshToken',
  tags: ['auth'],
  summary: 'Trade a refresh token for new tokens',
  description:
    'Refresh tokens rotate: each is good once. Presenting one that was already used revokes its whole family (every token descended from the same sign-in).',
  security: [],
  request: { body: jsonBody(RefreshInput, 'The current refresh token', refreshInputExample) },
  responses: {
    200: jsonResponse(TokenResponse, 'New tokens', tokenResponseExample),
    ...pick(400, 413, 415, 429),
    401: errorResponse('The refresh token is unknown, expired, revoked or was already used; sign in again', {
      invalid_refresh_token: {
        summary: 'Unknown or revoked token',
        value: errorExample('invalid_refresh_token', 'The refresh token is not valid; sign in again'),
      },
      refresh_token_reused: {
        summary: 'Already used: the whole session is now revoked',
        value: errorExample('refresh_token_reused', 'This refresh token was used already; the session is revoked'),
      },
      refresh_token_expired: {
        summary: 'Expired',
        value: errorExample('refresh_token_expired', 'Sign in again'),
      },
    }),
  },
});
