import { createRoute } from '@hono/zod-openapi';
import { TokenResponse } from '../../schemas/auth.ts';
import { errorResponse, failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { errorExample, routableExample, tokenResponseExample } from '../../schemas/examples.ts';
import { SignupConfirmInput } from '../../schemas/signup-confirmation.ts';

export const confirmSignupRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/signup/confirm',
  operationId: 'confirmSignup',
  tags: ['auth'],
  summary: 'Finish a sign-up with its emailed link’s token',
  description:
    'With `SIGNUP_CONFIRMATION=email`, `POST /api/v1/auth/signup` mails a link; its token, good once and for 24 hours, creates the organization and its admin as a direct sign-up does and signs the admin in. A used, expired or unknown token, or an email registered since the link was sent, answers 400 `invalid_signup_token`.',
  security: [],
  request: {
    body: jsonBody(SignupConfirmInput, 'The token from the emailed link', { token: routableExample('sgn') }),
  },
  responses: {
    201: jsonResponse(TokenResponse, 'Signed up; the admin is signed in', tokenResponseExample),
    ...pick(413, 415, 429),
    409: failureResponse(
      'No free address was found for the organization’s name',
      'slug_taken',
      'Could not find a free address for this organization name; try another',
    ),
    400: errorResponse('The link is unknown, used or expired, or the request is malformed', {
      invalid_signup_token: {
        summary: 'The link no longer works',
        value: errorExample('invalid_signup_token', 'This sign-up link is not valid any more; sign up again'),
      },
      validation_failed: {
        summary: 'No token',
        value: errorExample('validation_failed', 'The request body is invalid', [
          { path: 'token', message: 'Too small: expected string to have >=1 characters' },
        ]),
      },
    }),
  },
});
