import { createRoute } from '@hono/zod-openapi';
import { ApiKeyCreated, ApiKeyInput } from '../../schemas/auth.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { apiKeyCreatedExample, apiKeyInputExample } from '../../schemas/examples.ts';

export const createApiKeyRoute = createRoute({
  method: 'post',
  path: '/api/v1/api-keys',
  operationId: 'createApiKey',
  tags: ['api-keys'],
  summary: 'Create a scoped API key (admins); the secret is shown once',
  description:
    'The key acts for the organization with exactly the listed scopes, whatever the role of the admin who made it. The secret (`key`) is in this response only: store it now, since only its hash is kept. Send it as `Authorization: Bearer ck_…`.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(ApiKeyInput, 'Name and scopes', apiKeyInputExample) },
  responses: {
    201: jsonResponse(ApiKeyCreated, 'Created; `key` is the secret', apiKeyCreatedExample),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
