import { createRoute } from '@hono/zod-openapi';
import { LoginInput, TokenResponse } from '../../schemas/auth.ts';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { loginInputExample, tokenResponseExample } from '../../schemas/examples.ts';

export const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  operationId: 'login',
  tags: ['auth'],
  summary: 'Sign in with email and password',
  description:
    "Answers with a short-lived access token (send it as `Authorization: Bearer …`) and a refresh token for POST /api/v1/auth/refresh. The edge finds the user's home region itself, so any edge location works.",
  security: [],
  request: { body: jsonBody(LoginInput, 'Credentials', loginInputExample) },
  responses: {
    200: jsonResponse(TokenResponse, 'Signed in', tokenResponseExample),
    ...pick(400, 413, 415, 429),
    401: failureResponse('The email or password is wrong', 'invalid_credentials', 'The email or password is wrong'),
  },
});
