import { createRoute } from '@hono/zod-openapi';
import { errorResponse, IdParam, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { noContent } from '../responses.ts';

export const resetUserMfaRoute = createRoute({
  method: 'delete',
  path: '/api/v1/users/{id}/mfa',
  operationId: 'resetUserMfa',
  tags: ['mfa'],
  summary: "Reset another member's MFA (admins)",
  description:
    'For a member who lost their authenticator and recovery codes: their MFA is removed and they sign in with their password alone until they enrol again (at once, when the organization requires MFA). Needs `users:manage`; your own MFA is turned off with POST /api/v1/me/mfa/disable instead. Audited as `auth.mfa_disabled`.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    204: noContent('Reset'),
    ...pick(400, 401, 403, 404, 429),
    409: errorResponse('The member has no MFA, or it is your own', {
      mfa_not_enabled: {
        summary: 'No MFA',
        value: errorExample('mfa_not_enabled', 'MFA is not turned on for this user'),
      },
      own_mfa: {
        summary: 'Your own MFA',
        value: errorExample(
          'own_mfa',
          'Turn off your own MFA in your security settings, with your password and a code',
        ),
      },
    }),
  },
});
