import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { MfaStatus, mfaStatusExample } from '../../schemas/mfa.ts';

export const getMfaStatusRoute = createRoute({
  method: 'get',
  path: '/api/v1/me/mfa',
  operationId: 'getMfaStatus',
  tags: ['mfa'],
  summary: 'Your multi-factor authentication: on or off, recovery codes left, whether it is required',
  description:
    'The same object GET /api/v1/me carries as `mfa`. `enrolmentRequired` is true when the organization requires MFA and you have none yet. API keys have no MFA (403).',
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonResponse(MfaStatus, 'Your MFA', mfaStatusExample), ...pick(401, 403, 429) },
});
