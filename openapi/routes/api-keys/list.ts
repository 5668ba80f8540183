import { createRoute } from '@hono/zod-openapi';
import { ApiKeyList } from '../../schemas/auth.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';

export const listApiKeysRoute = createRoute({
  method: 'get',
  path: '/api/v1/api-keys',
  operationId: 'listApiKeys',
  tags: ['api-keys'],
  summary: "The organization's API keys, without their secrets (admins)",
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(ApiKeyList, 'API keys'), ...pick(401, 403, 429) },
});
