import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { routableExample } from '../../schemas/examples.ts';
import { LoginResponse, loginSessionExample } from '../../schemas/mfa-login.ts';
import { SamlAcsInput } from '../../schemas/sso.ts';
import { ssoFailures } from './oidc-callback.ts';

export const samlAcsRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/sso/saml/acs',
  operationId: 'finishSamlSignIn',
  tags: ['sso'],
  summary: "Sign in with SSO (SAML 2.0), second step: the IdP's response",
  description:
    "The `SAMLResponse` and `RelayState` the IdP posted to the web app's ACS, as JSON. The assertion must be signed with the IdP's certificate, name our entity id as audience and our ACS as recipient, be within its validity window, answer this sign-in's AuthnRequest and not have been used before; the RelayState works once, with the `browserBinding` the start answered. Then as the OIDC callback: just-in-time provisioning, the session or an MFA challenge, audited.",
  security: [],
  request: {
    body: jsonBody(SamlAcsInput, 'The posted response', {
      samlResponse: 'PHNhbWxwOlJlc3BvbnNlIC4uLg==',
      relayState: routableExample('sso'),
      browserBinding: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    }),
  },
  responses: {
    200: jsonResponse(LoginResponse, 'Signed in (or an MFA challenge)', loginSessionExample),
    ...ssoFailures,
    ...pick(413, 415, 429),
  },
});
