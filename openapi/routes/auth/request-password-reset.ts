import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { PasswordResetRequested, PasswordResetRequestInput } from '../../schemas/password-reset.ts';

export const passwordResetRequestedAnswer = {
  status: 'requested' as const,
  message: 'If this email belongs to an account, a link to choose a new password is on its way.',
};

export const requestPasswordResetRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/password-reset',
  operationId: 'requestPasswordReset',
  tags: ['auth'],
  summary: 'Ask for a password-reset link by email',
  description:
    'Always answers 202 with the same body, after the same minimum time, whether or not the email is registered: nothing here tells who has an account. A registered, active user gets an email with a link that works once, for 30 minutes; asking again ends the earlier link. At most three links an hour are sent to one account.',
  security: [],
  request: {
    body: jsonBody(PasswordResetRequestInput, 'The account’s email', { email: 'ada@analytical.example' }),
  },
  responses: {
    202: jsonResponse(
      PasswordResetRequested,
      'Requested (sent if the email is registered)',
      passwordResetRequestedAnswer,
    ),
    ...pick(400, 413, 415, 429),
  },
});
