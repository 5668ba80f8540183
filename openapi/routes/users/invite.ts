import { createRoute } from '@hono/zod-openapi';
import { InviteInput, InviteResponse } from '../../schemas/auth.ts';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { inviteInputExample, inviteResponseExample } from '../../schemas/examples.ts';

export const inviteUserRoute = createRoute({
  method: 'post',
  path: '/api/v1/users',
  operationId: 'inviteUser',
  tags: ['users'],
  summary: 'Invite a user into the organization with a role (admins)',
  description:
    'The user starts as `invited`. Hand `inviteToken` to them (it is shown only here); they set a password with POST /api/v1/auth/accept-invite before it expires.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(InviteInput, 'Who to invite, and as what', inviteInputExample) },
  responses: {
    201: jsonResponse(InviteResponse, 'Invited', inviteResponseExample),
    ...pick(400, 401, 403, 413, 415, 429),
    409: failureResponse('The email is already registered', 'email_taken', 'This email is already registered'),
  },
});
