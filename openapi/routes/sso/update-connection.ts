import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { SsoConnection, SsoConnectionPatch } from '../../schemas/sso.ts';
import { ssoConnectionExample } from './examples.ts';

export const updateSsoConnectionRoute = createRoute({
  method: 'patch',
  path: '/api/v1/sso/connections/{id}',
  operationId: 'updateSsoConnection',
  tags: ['sso'],
  summary: 'Change a connection: name, on/off, default role, provisioning, provider settings or secret',
  description:
    'Only the fields sent change; `oidc` settings on an OIDC connection, `saml` on a SAML one (else 400). A new client secret or certificate is sealed at rest. Admins only (`settings:manage`); audited as `sso.connection_updated` with the names of the fields changed, never their secrets.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(SsoConnectionPatch, 'The changes', { enabled: false }) },
  responses: {
    200: jsonResponse(SsoConnection, 'The connection now', { ...ssoConnectionExample, enabled: false }),
    ...pick(400, 401, 403, 404, 413, 415, 429),
  },
});
