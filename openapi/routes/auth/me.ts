import { createRoute } from '@hono/zod-openapi';
import { MeResponse } from '../../schemas/auth.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { meExample } from '../../schemas/examples.ts';

export const meRoute = createRoute({
  method: 'get',
  path: '/api/v1/me',
  operationId: 'getMe',
  tags: ['auth'],
  summary: 'Who is calling: user or API key, organization, role and permissions',
  description:
    "For an API key, `principal` is `api_key`, `user` is null and `permissions` are the key's scopes. A client can use `permissions` to show only what the caller may do.",
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(MeResponse, 'The caller', meExample), ...pick(401, 429) },
});
