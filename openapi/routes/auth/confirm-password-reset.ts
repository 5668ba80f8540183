import { createRoute } from '@hono/zod-openapi';
import { errorResponse, jsonBody, pick } from '../../schemas/common.ts';
import { errorExample, routableExample } from '../../schemas/examples.ts';
import { weakPasswordExample } from '../../schemas/password-policy.ts';
import { PasswordResetConfirmInput } from '../../schemas/password-reset.ts';

export const confirmPasswordResetRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/password-reset/confirm',
  operationId: 'confirmPasswordReset',
  tags: ['auth'],
  summary: 'Choose a new password with a reset link’s token',
  description:
    'The token from the emailed link is the proof; it works once and for 30 minutes. Every session of the account ends (refresh tokens revoked, access tokens refused within seconds); sign in with the new password.',
  security: [],
  request: {
    body: jsonBody(PasswordResetConfirmInput, 'The token and the new password', {
      token: routableExample('prt'),
      password: 'An0ther-Long-Passphrase',
    }),
  },
  responses: {
    204: { description: 'The password is changed; every session has ended' },
    ...pick(413, 415, 429),
    400: errorResponse('The link is unknown, used, superseded or expired, or the new password is too short or weak', {
      invalid_reset_token: {
        summary: 'The link no longer works',
        value: errorExample('invalid_reset_token', 'This reset link is not valid any more; ask for a new one'),
      },
      validation_failed: {
        summary: 'The new password is too short',
        value: errorExample('validation_failed', 'The request body is invalid', [
          { path: 'password', message: 'Use at least 10 characters' },
        ]),
      },
      weak_password: weakPasswordExample,
    }),
  },
});
