import { createRoute } from '@hono/zod-openapi';
import { MeResponse } from '../../schemas/auth.ts';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { meExample } from '../../schemas/examples.ts';
import { ProfilePatch, profilePatchExample } from '../../schemas/profile.ts';

export const updateMeRoute = createRoute({
  method: 'patch',
  path: '/api/v1/me',
  operationId: 'updateMe',
  tags: ['auth'],
  summary: 'Change your own name, time zone, locale and date format',
  description:
    'Every signed-in user may change these about themselves; the answer is the caller as `GET /api/v1/me` shows them. Any other field (role, status, email, organization) is refused with 400: roles and status are changed by admins through `PATCH /api/v1/users/{id}`. API keys have no profile (403).',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(ProfilePatch, 'The fields to change', profilePatchExample) },
  responses: { 200: jsonResponse(MeResponse, 'The caller, changed', meExample), ...pick(400, 401, 403, 413, 415, 429) },
});
