import { createRoute } from '@hono/zod-openapi';
import { LoginInput } from '../../schemas/auth.ts';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { loginInputExample } from '../../schemas/examples.ts';
import { LoginResponse, loginSessionExample, mfaChallengeExample } from '../../schemas/mfa-login.ts';
import { signInRefusedResponse } from '../../schemas/password-policy.ts';

export const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  operationId: 'login',
  tags: ['auth'],
  summary: 'Sign in with email and password',
  description:
    'Answers with a short-lived access token (send it as `Authorization: Bearer …`) and a refresh token for POST /api/v1/auth/refresh. The edge finds the user\'s home region itself, so any edge location works. A user with multi-factor authentication gets `{ "mfaRequired": true, "mfaToken": … }` and no session instead: send the token with a code to POST /api/v1/auth/login/mfa. `mfaEnrolmentRequired: true` says the organization requires MFA and this user has none yet.',
  security: [],
  request: { body: jsonBody(LoginInput, 'Credentials', loginInputExample) },
  responses: {
    200: {
      description: 'Signed in, or (with MFA) the challenge for the second step',
      content: {
        'application/json': {
          schema: LoginResponse,
          examples: {
            session: { summary: 'Signed in', value: loginSessionExample },
            mfa: { summary: 'A code is needed: POST /api/v1/auth/login/mfa', value: mfaChallengeExample },
          },
        },
      },
    },
    ...pick(400, 413, 415),
    429: signInRefusedResponse,
    401: failureResponse('The email or password is wrong', 'invalid_credentials', 'The email or password is wrong'),
  },
});
