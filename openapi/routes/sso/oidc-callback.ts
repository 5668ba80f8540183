import { createRoute } from '@hono/zod-openapi';
import { errorResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { errorExample, routableExample } from '../../schemas/examples.ts';
import { LoginResponse, loginSessionExample } from '../../schemas/mfa-login.ts';
import { OidcCallbackInput } from '../../schemas/sso.ts';

export const ssoFailures = {
  400: errorResponse('Malformed, or the sign-in is unknown, expired, used or of another browser', {
    sso_state_invalid: {
      summary: "Unknown, expired or used state, or not this browser's binding",
      value: errorExample(
        'sso_state_invalid',
        'This sign-in is unknown, expired, already used or was started in another browser; start again',
      ),
    },
  }),
  401: errorResponse("The identity provider's answer did not hold", {
    sso_failed: {
      summary: 'Signature, audience, nonce, PKCE, time…',
      value: errorExample('sso_failed', 'Single sign-on failed: unexpected ID Token "nonce" claim value'),
    },
  }),
  403: errorResponse('The identity is not allowed in', {
    sso_user_unknown: {
      summary: 'No account and no just-in-time provisioning',
      value: errorExample('sso_user_unknown', 'You have no account here yet; ask an admin to invite you'),
    },
    sso_domain_not_verified: {
      summary: "The email is not of the organization's verified domains",
      value: errorExample('sso_domain_not_verified', 'other.example is not a verified domain of this organization'),
    },
  }),
};

export const oidcCallbackRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/sso/oidc/callback',
  operationId: 'finishOidcSignIn',
  tags: ['sso'],
  summary: 'Sign in with SSO (OpenID Connect), second step: the code the provider sent back',
  description:
    "The query of the redirect (`code`, `state`, `iss`, or `error`) as JSON. The code is exchanged with the PKCE verifier; the ID token must be signed by the provider, for our client, unexpired, and carry this sign-in's nonce; the state works once, and only with the `browserBinding` the start answered (the web app keeps it in a cookie of the browser that started, so an answer handed to another browser is refused). An unknown user of a verified domain is created with the connection's default role (just-in-time). The answer is what POST /api/v1/auth/login answers: the session, or an MFA challenge for a user with MFA. Audited (`auth.login` with `method: sso`, `sso.user_provisioned`, `auth.sso_failed`).",
  security: [],
  request: {
    body: jsonBody(OidcCallbackInput, "The redirect's parameters", {
      state: routableExample('sso'),
      browserBinding: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      code: 'SplxlOBeZQQYbYS6WxSbIA',
    }),
  },
  responses: {
    200: jsonResponse(LoginResponse, 'Signed in (or an MFA challenge)', loginSessionExample),
    ...ssoFailures,
    ...pick(413, 415, 429),
  },
});
