import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { SsoConnection } from '../../schemas/sso.ts';
import { ssoConnectionExample } from './examples.ts';

export const getSsoConnectionRoute = createRoute({
  method: 'get',
  path: '/api/v1/sso/connections/{id}',
  operationId: 'getSsoConnection',
  tags: ['sso'],
  summary: 'One single sign-on connection',
  description: 'Admins only (`settings:manage`).',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: jsonResponse(SsoConnection, 'The connection', ssoConnectionExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
