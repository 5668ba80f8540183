import { createRoute } from '@hono/zod-openapi';
import { errorResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { errorExample, routableExample } from '../../schemas/examples.ts';
import { MfaLoginInput } from '../../schemas/mfa.ts';
import { LoginSession, loginSessionExample } from '../../schemas/mfa-login.ts';

export const mfaLoginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login/mfa',
  operationId: 'loginMfa',
  tags: ['auth'],
  summary: 'Sign in, second step: the code from the authenticator app (or a recovery code)',
  description:
    'When POST /api/v1/auth/login answers `{ "mfaRequired": true, "mfaToken": … }`, send that token with the current code (`code`) or one of the recovery codes (`recoveryCode`, each works once). The answer is the session, as login gives it. A code is accepted once and only within a step (30 s) of now. The token works for 5 minutes, once, and for 5 wrong codes; then sign in again. Ten wrong codes in a row, across sign-ins, lock codes for 15 minutes (429). Like the first step it needs no credentials; the edge routes the token to its region.',
  security: [],
  request: {
    body: jsonBody(MfaLoginInput, 'The challenge and a code', { mfaToken: routableExample('mfa'), code: '492039' }),
  },
  responses: {
    200: jsonResponse(LoginSession, 'Signed in', loginSessionExample),
    ...pick(400, 413, 415),
    401: errorResponse('The code is wrong, or the sign-in expired', {
      invalid_mfa_code: {
        summary: 'Wrong or used code',
        value: errorExample('invalid_mfa_code', 'The code is wrong or was already used (4 tries left)', [
          { path: 'code', message: 'The code is wrong or was already used (4 tries left)' },
        ]),
      },
      mfa_challenge_expired: {
        summary: 'The token is unknown, used, expired or out of tries',
        value: errorExample('mfa_challenge_expired', 'This sign-in has expired; sign in again with your password'),
      },
    }),
    429: errorResponse('Too many wrong codes in a row, or too many requests', {
      mfa_locked: {
        summary: 'Codes are locked for a while',
        value: errorExample(
          'mfa_locked',
          'Too many wrong codes in a row; try again in 15 minutes or ask an admin to reset your MFA',
        ),
      },
      rate_limited: {
        summary: 'Too many requests',
        value: errorExample('rate_limited', 'Too many requests; try again in 12 s'),
      },
    }),
  },
});
