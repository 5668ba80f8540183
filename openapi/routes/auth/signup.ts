import { createRoute } from '@hono/zod-openapi';
import { SignupInput, TokenResponse } from '../../schemas/auth.ts';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { signupInputExample, tokenResponseExample } from '../../schemas/examples.ts';
import { passwordSettingBadRequest } from '../../schemas/password-policy.ts';
import { SignupConfirmationSent } from '../../schemas/signup-confirmation.ts';

export const signupConfirmationSentAnswer = {
  status: 'confirmation_sent' as const,
  message: 'Check your inbox: the email to finish signing up is on its way.',
};

export const signupRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/signup',
  operationId: 'signup',
  tags: ['auth'],
  summary: 'Create an organization and its first admin',
  description: [
    "The organization lives in `region` (one of the deployment's regions, default the edge's default region) and never leaves it.",
    '',
    "How it answers depends on the region's `SIGNUP_CONFIRMATION` setting:",
    '- `none` (a laptop without a mail server): the organization is created at once and the admin signed in (201); a registered email is refused with 409 `email_taken`, which tells that the email is registered.',
    '- `email` (production): every well-formed request answers 202 with the same body, after the same minimum time, registered email or not. A new email gets a link, good once for 24 hours, that creates the organization through `POST /api/v1/auth/signup/confirm`; a registered email gets a note that an account exists, with sign-in and forgotten-password links. At most three emails an hour go to one address.',
    '',
    'The password is checked (400) before anything else, in both modes.',
  ].join('\n'),
  security: [],
  request: { body: jsonBody(SignupInput, 'The new organization and its admin', signupInputExample) },
  responses: {
    201: jsonResponse(
      TokenResponse,
      'Signed up; the admin is signed in (`SIGNUP_CONFIRMATION=none`)',
      tokenResponseExample,
    ),
    202: jsonResponse(
      SignupConfirmationSent,
      'An email is on its way to the address (`SIGNUP_CONFIRMATION=email`); the same answer whether or not it is registered',
      signupConfirmationSentAnswer,
    ),
    ...pick(413, 415, 429),
    400: passwordSettingBadRequest,
    409: failureResponse(
      'The email is already registered (`SIGNUP_CONFIRMATION=none` only)',
      'email_taken',
      'This email is already registered; sign in instead',
    ),
  },
});
