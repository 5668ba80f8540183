import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { SsoStart, SsoStartInput } from '../../schemas/sso.ts';
import { ssoStartExample } from './examples.ts';

export const startSsoRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/sso/start',
  operationId: 'startSso',
  tags: ['sso'],
  summary: 'Sign in with SSO, first step: where to send the browser',
  description:
    "The email's verified domain names the organization and its connection (the edge routes the request to that organization's region through the directory). Send the browser to `redirectUrl`; the provider sends it back to the web app with the sign-in's `state` (good for 10 minutes, once); keep `browserBinding` in the browser that goes there (never give it to the provider) and send it with the second step. No credentials needed.",
  security: [],
  request: { body: jsonBody(SsoStartInput, 'The email', { email: 'ada@analytical.example' }) },
  responses: {
    200: jsonResponse(SsoStart, 'Where to go', ssoStartExample),
    ...pick(400, 413, 415, 429),
    404: failureResponse(
      'No verified domain with an enabled connection',
      'sso_not_configured',
      "Single sign-on is not set up for this email's domain",
    ),
  },
});
