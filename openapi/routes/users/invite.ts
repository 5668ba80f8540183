import { createRoute } from '@hono/zod-openapi';
import { InviteInput, InviteResponse } from '../../schemas/auth.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { conflictResponse } from '../responses.ts';

export const inviteUserRoute = createRoute({
  method: 'post',
  path: '/api/v1/users',
  operationId: 'inviteUser',
  tags: ['users'],
  summary: 'Invite a user into the organization with a role (admins)',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(InviteInput, 'Who to invite, and as what') },
  responses: {
    201: jsonResponse(InviteResponse, 'Invited'),
    ...pick(400, 401, 403, 413, 415, 429),
    409: conflictResponse('The email is already registered'),
  },
});
