import { createRoute } from '@hono/zod-openapi';
import { ApiKeyList } from '../../schemas/auth.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { apiKeyListExample } from '../../schemas/examples.ts';

export const listApiKeysRoute = createRoute({
  method: 'get',
  path: '/api/v1/api-keys',
  operationId: 'listApiKeys',
  tags: ['api-keys'],
  summary: "The organization's API keys, without their secrets (admins)",
  description:
    'Every key the organization has made, revoked ones included (with `revokedAt` set), each with the prefix that identifies it and when it was last used.',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(ApiKeyList, 'API keys', apiKeyListExample), ...pick(401, 403, 429) },
});
