import { createRoute } from '@hono/zod-openapi';
import { ApiKeyCreated, ApiKeyInput } from '../../schemas/auth.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';

export const createApiKeyRoute = createRoute({
  method: 'post',
  path: '/api/v1/api-keys',
  operationId: 'createApiKey',
  tags: ['api-keys'],
  summary: 'Create a scoped API key (admins); the secret is shown once',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(ApiKeyInput, 'Name and scopes') },
  responses: { 201: jsonResponse(ApiKeyCreated, 'Created'), ...pick(400, 401, 403, 413, 415, 429) },
});
