import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { MfaCodeInput, MfaRecoveryCodes, recoveryCodesExample } from '../../schemas/mfa.ts';
import { wrongCodeResponse } from './confirm-enrolment.ts';

export const regenerateRecoveryCodesRoute = createRoute({
  method: 'post',
  path: '/api/v1/me/mfa/recovery-codes',
  operationId: 'regenerateMfaRecoveryCodes',
  tags: ['mfa'],
  summary: 'Replace your recovery codes (needs a current code)',
  description:
    'Ten new single-use codes, shown only in this answer; every earlier one stops working. Needs a current code of the authenticator app, which is then spent (it cannot be used again). Audited as `auth.mfa_recovery_codes_regenerated`.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(MfaCodeInput, 'The current code of the app', { code: '492039' }) },
  responses: {
    200: jsonResponse(MfaRecoveryCodes, 'The new recovery codes', recoveryCodesExample),
    400: wrongCodeResponse,
    ...pick(401, 403, 413, 415),
    409: failureResponse('MFA is not on', 'mfa_not_enabled', 'MFA is not turned on for this user'),
    429: failureResponse(
      'Too many wrong codes in a row (or too many requests)',
      'mfa_locked',
      'Too many wrong codes in a row; try again in 15 minutes or ask an admin to reset your MFA',
    ),
  },
});
