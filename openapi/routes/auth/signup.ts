import { createRoute } from '@hono/zod-openapi';
import { SignupInput, TokenResponse } from '../../schemas/auth.ts';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { signupInputExample, tokenResponseExample } from '../../schemas/examples.ts';
import { passwordSettingBadRequest } from '../../schemas/password-policy.ts';

export const signupRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/signup',
  operationId: 'signup',
  tags: ['auth'],
  summary: 'Create an organization and its first admin',
  description:
    "The organization lives in `region` (one of the deployment's regions, default the edge's default region) and never leaves it.",
  security: [],
  request: { body: jsonBody(SignupInput, 'The new organization and its admin', signupInputExample) },
  responses: {
    201: jsonResponse(TokenResponse, 'Signed up; the admin is signed in', tokenResponseExample),
    ...pick(413, 415, 429),
    400: passwordSettingBadRequest,
    409: failureResponse(
      'The email is already registered',
      'email_taken',
      'This email is already registered; sign in instead',
    ),
  },
});
