import { createRoute } from '@hono/zod-openapi';
import { SignupInput, TokenResponse } from '../../schemas/auth.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { conflictResponse } from '../responses.ts';

export const signupRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/signup',
  operationId: 'signup',
  tags: ['auth'],
  summary: 'Create an organization and its first admin',
  description:
    "The organization lives in `region` (one of the deployment's regions, default the edge's default region) and never leaves it.",
  request: { body: jsonBody(SignupInput, 'The new organization and its admin') },
  responses: {
    201: jsonResponse(TokenResponse, 'Signed up; the admin is signed in'),
    ...pick(400, 413, 415, 429),
    409: conflictResponse('The email is already registered'),
  },
});
