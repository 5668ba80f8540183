import { createRoute } from '@hono/zod-openapi';
import { AcceptInviteInput, TokenResponse } from '../../schemas/auth.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';

export const acceptInviteRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/accept-invite',
  operationId: 'acceptInvite',
  tags: ['auth'],
  summary: 'Accept an invitation: set a password and sign in',
  request: { body: jsonBody(AcceptInviteInput, 'The invitation token and the new password') },
  responses: { 200: jsonResponse(TokenResponse, 'Signed in'), ...pick(400, 401, 413, 415, 429) },
});
