import { createRoute } from '@hono/zod-openapi';
import { UserList } from '../../schemas/auth.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { userListExample } from '../../schemas/examples.ts';

export const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/v1/users',
  operationId: 'listUsers',
  tags: ['users'],
  summary: "The organization's users and their roles",
  description: 'Everyone in the organization, invited and disabled users included, with their role.',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(UserList, 'Users', userListExample), ...pick(401, 403, 429) },
});
