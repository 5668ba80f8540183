import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { SsoConnection, SsoConnectionInput } from '../../schemas/sso.ts';
import { ssoConnectionExample } from './examples.ts';

export const createSsoConnectionRoute = createRoute({
  method: 'post',
  path: '/api/v1/sso/connections',
  operationId: 'createSsoConnection',
  tags: ['sso'],
  summary: 'Add an OpenID Connect or SAML 2.0 connection',
  description:
    "OIDC: the provider's issuer (its discovery document is read from there; https, no private address), the client id and secret (sealed at rest). SAML: the IdP's entity id, sign-on URL and signing certificate (PEM; sealed at rest). Register the answer's `redirectUri` (OIDC) or `acsUrl`/`spEntityId` (SAML) with the provider. Users signing in for the first time get `defaultRole` when `jitProvisioning` is on. Admins only (`settings:manage`); audited as `sso.connection_created`.",
  security: [{ bearerAuth: [] }],
  request: {
    body: jsonBody(SsoConnectionInput, 'The connection', {
      protocol: 'oidc',
      name: 'Okta',
      defaultRole: 'sales_rep',
      oidc: { issuer: 'https://analytical.okta.example', clientId: 'crm-prod', clientSecret: 's3cr3t-from-okta' },
    }),
  },
  responses: {
    201: jsonResponse(SsoConnection, 'Added', ssoConnectionExample),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
