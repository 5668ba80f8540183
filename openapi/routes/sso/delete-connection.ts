import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const deleteSsoConnectionRoute = createRoute({
  method: 'delete',
  path: '/api/v1/sso/connections/{id}',
  operationId: 'deleteSsoConnection',
  tags: ['sso'],
  summary: 'Remove a connection',
  description:
    "Domains that used it fall back to the organization's first enabled connection. Admins only (`settings:manage`); audited as `sso.connection_deleted`.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Removed'), ...pick(400, 401, 403, 404, 429) },
});
