import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { OrganizationSecurity, OrganizationSecurityPatch } from '../../schemas/mfa.ts';

export const updateOrganizationSecurityRoute = createRoute({
  method: 'patch',
  path: '/api/v1/organization/security',
  operationId: 'updateOrganizationSecurity',
  tags: ['mfa'],
  summary: 'Require MFA of every member, or stop requiring it',
  description:
    'With `mfaRequired`, members without MFA still sign in, but the sign-in answer and GET /api/v1/me say `mfaEnrolmentRequired: true` and the web app takes them to set it up before anything else; members cannot turn theirs off. Admins only (`settings:manage`); audited as `organization.mfa_required_changed`.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(OrganizationSecurityPatch, 'The setting', { mfaRequired: true }) },
  responses: {
    200: jsonResponse(OrganizationSecurity, 'The settings now in force', {
      mfaRequired: true,
      activeMembers: 12,
      membersWithMfa: 9,
    }),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
