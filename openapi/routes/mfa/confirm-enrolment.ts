import { createRoute } from '@hono/zod-openapi';
import { errorResponse, failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { MfaCodeInput, MfaRecoveryCodes, recoveryCodesExample } from '../../schemas/mfa.ts';

export const wrongCodeResponse = errorResponse('The code is malformed, wrong or already used', {
  invalid_mfa_code: {
    summary: 'The code is not right',
    value: errorExample('invalid_mfa_code', 'The code is not right', [
      { path: 'code', message: 'This code is wrong or was already used; wait for the next one' },
    ]),
  },
  validation_failed: {
    summary: 'Not six digits',
    value: errorExample('validation_failed', 'The request body is invalid', [
      { path: 'code', message: 'Enter the six digits your authenticator app shows' },
    ]),
  },
});

export const confirmMfaEnrolmentRoute = createRoute({
  method: 'post',
  path: '/api/v1/me/mfa/enrolment/confirm',
  operationId: 'confirmMfaEnrolment',
  tags: ['mfa'],
  summary: 'Turn MFA on with the first code from the app',
  description:
    'The code must match the secret from POST /api/v1/me/mfa/enrolment (the step before or after the current one is accepted too). MFA is on from now: signing in asks for a code. The answer holds ten single-use recovery codes, shown only here; keep them somewhere safe. Audited as `auth.mfa_enabled`.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(MfaCodeInput, 'The current code of the app', { code: '492039' }) },
  responses: {
    200: jsonResponse(MfaRecoveryCodes, 'MFA is on; the recovery codes', recoveryCodesExample),
    400: wrongCodeResponse,
    ...pick(401, 403, 413, 415, 429),
    409: failureResponse(
      'No enrolment was started, or MFA is already on',
      'mfa_enrolment_not_started',
      'Start the enrolment first',
    ),
  },
});
