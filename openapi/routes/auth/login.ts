import { createRoute } from '@hono/zod-openapi';
import { LoginInput, TokenResponse } from '../../schemas/auth.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';

export const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  operationId: 'login',
  tags: ['auth'],
  summary: 'Sign in with email and password',
  request: { body: jsonBody(LoginInput, 'Credentials') },
  responses: { 200: jsonResponse(TokenResponse, 'Signed in'), ...pick(400, 401, 413, 415, 429) },
});
