import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const revokeApiKeyRoute = createRoute({
  method: 'delete',
  path: '/api/v1/api-keys/{id}',
  operationId: 'revokeApiKey',
  tags: ['api-keys'],
  summary: 'Revoke an API key (admins)',
  description: 'The key stops working at once; it stays in the list with `revokedAt` set, for the audit trail.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Revoked'), ...pick(400, 401, 403, 404, 429) },
});
