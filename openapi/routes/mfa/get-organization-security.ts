import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { OrganizationSecurity } from '../../schemas/mfa.ts';

export const getOrganizationSecurityRoute = createRoute({
  method: 'get',
  path: '/api/v1/organization/security',
  operationId: 'getOrganizationSecurity',
  tags: ['mfa'],
  summary: "The organization's security settings: whether MFA is required, and how many members have it",
  description: 'Admins only (`settings:manage`).',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(OrganizationSecurity, 'The settings', {
      mfaRequired: false,
      activeMembers: 12,
      membersWithMfa: 9,
    }),
    ...pick(401, 403, 429),
  },
});
