import { createRoute } from '@hono/zod-openapi';
import { MeResponse } from '../../schemas/auth.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';

export const meRoute = createRoute({
  method: 'get',
  path: '/api/v1/me',
  operationId: 'getMe',
  tags: ['auth'],
  summary: 'Who is calling: user or API key, organization, role and permissions',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(MeResponse, 'The caller'), ...pick(401, 429) },
});
