import { createRoute } from '@hono/zod-openapi';
import { UserPatch, UserSchema } from '../../schemas/auth.ts';
import { IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { conflictResponse } from '../responses.ts';

export const updateUserRoute = createRoute({
  method: 'patch',
  path: '/api/v1/users/{id}',
  operationId: 'updateUser',
  tags: ['users'],
  summary: "Change a user's role, name or status (admins)",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(UserPatch, 'The fields to change') },
  responses: {
    200: jsonResponse(UserSchema, 'Changed'),
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: conflictResponse('The change would leave the organization without an active admin'),
  },
});
