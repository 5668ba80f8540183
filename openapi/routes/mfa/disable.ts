import { createRoute } from '@hono/zod-openapi';
import { errorResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { MfaDisableInput, MfaStatus, mfaStatusExample } from '../../schemas/mfa.ts';

export const disableMfaRoute = createRoute({
  method: 'post',
  path: '/api/v1/me/mfa/disable',
  operationId: 'disableMfa',
  tags: ['mfa'],
  summary: 'Turn your MFA off (password and a code)',
  description:
    'Needs your password and either a current code of the app or one of your recovery codes (when the phone is lost). The secret, the recovery codes and any sign-in waiting for a code are deleted. Refused with 409 while the organization requires MFA (an admin can reset it instead). Audited as `auth.mfa_disabled`.',
  security: [{ bearerAuth: [] }],
  request: {
    body: jsonBody(MfaDisableInput, 'Your password and a code', { password: 'Corr3ct-Horse-Battery!', code: '492039' }),
  },
  responses: {
    200: jsonResponse(MfaStatus, 'MFA is off', {
      ...mfaStatusExample,
      enabled: false,
      enabledAt: null,
      recoveryCodesLeft: 0,
    }),
    400: errorResponse('The password or the code is wrong, or the body is invalid', {
      invalid_password: {
        summary: 'The password is wrong',
        value: errorExample('invalid_password', 'The password is wrong', [
          { path: 'password', message: 'The password is wrong' },
        ]),
      },
      invalid_mfa_code: {
        summary: 'The code is not right',
        value: errorExample('invalid_mfa_code', 'The code is not right', [
          { path: 'code', message: 'This code is wrong or was already used; wait for the next one' },
        ]),
      },
    }),
    ...pick(401, 403, 413, 415, 429),
    409: errorResponse('MFA is off already, or the organization requires it', {
      mfa_not_enabled: {
        summary: 'MFA is not on',
        value: errorExample('mfa_not_enabled', 'MFA is not turned on for this user'),
      },
      mfa_required_by_organization: {
        summary: 'The organization requires MFA',
        value: errorExample(
          'mfa_required_by_organization',
          'Your organization requires MFA, so it cannot be turned off',
        ),
      },
    }),
  },
});
