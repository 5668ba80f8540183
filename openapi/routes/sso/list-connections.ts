import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { SsoConnectionList } from '../../schemas/sso.ts';
import { ssoConnectionExample } from './examples.ts';

export const listSsoConnectionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/sso/connections',
  operationId: 'listSsoConnections',
  tags: ['sso'],
  summary: "The organization's single sign-on connections",
  description:
    'Admins only (`settings:manage`). Secrets and certificates are never returned, only whether they are set.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(SsoConnectionList, 'The connections', { data: [ssoConnectionExample] }),
    ...pick(401, 403, 429),
  },
});
