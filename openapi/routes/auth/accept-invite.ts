import { createRoute } from '@hono/zod-openapi';
import { AcceptInviteInput, TokenResponse } from '../../schemas/auth.ts';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { acceptInviteInputExample, tokenResponseExample } from '../../schemas/examples.ts';
import { passwordSettingBadRequest } from '../../schemas/password-policy.ts';

export const acceptInviteRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/accept-invite',
  operationId: 'acceptInvite',
  tags: ['auth'],
  summary: 'Accept an invitation: set a password and sign in',
  description:
    'Needs no credentials: the invitation token from POST /api/v1/users is the proof. A token works once and expires; either way a second use answers 401 `invalid_invitation`.',
  security: [],
  request: {
    body: jsonBody(AcceptInviteInput, 'The invitation token and the new password', acceptInviteInputExample),
  },
  responses: {
    200: jsonResponse(TokenResponse, 'Signed in', tokenResponseExample),
    ...pick(413, 415, 429),
    400: passwordSettingBadRequest,
    401: failureResponse(
      'The invitation is unknown, used or expired',
      'invalid_invitation',
      'This invitation is not valid or has expired',
    ),
  },
});
