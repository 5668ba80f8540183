import { createRoute } from '@hono/zod-openapi';
import { UserPatch, UserSchema } from '../../schemas/auth.ts';
import { failureResponse, IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { userExample, userPatchExample } from '../../schemas/examples.ts';

export const updateUserRoute = createRoute({
  method: 'patch',
  path: '/api/v1/users/{id}',
  operationId: 'updateUser',
  tags: ['users'],
  summary: "Change a user's role, name or status (admins)",
  description:
    'A disabled user can no longer sign in or refresh a session. The organization must keep at least one active admin, so demoting or disabling the last one answers 409.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(UserPatch, 'The fields to change', userPatchExample) },
  responses: {
    200: jsonResponse(UserSchema, 'Changed', userExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: failureResponse(
      'The change would leave the organization without an active admin',
      'last_admin',
      'The organization needs at least one active admin',
    ),
  },
});
