import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonResponse, pick } from '../../schemas/common.ts';
import { MfaEnrolment, mfaStatusExample } from '../../schemas/mfa.ts';

export const startMfaEnrolmentRoute = createRoute({
  method: 'post',
  path: '/api/v1/me/mfa/enrolment',
  operationId: 'startMfaEnrolment',
  tags: ['mfa'],
  summary: 'Start setting up an authenticator app (TOTP)',
  description:
    'Sends no body. Answers a new secret, its `otpauth://` URI and the same as a QR code (SVG) for the app to scan. Nothing changes for sign-in until a code from the app is confirmed with POST /api/v1/me/mfa/enrolment/confirm; until then, starting again answers the same secret. The secret is kept encrypted.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(MfaEnrolment, 'The secret to add to the app', {
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      otpauthUri: 'otpauth://totp/CRM:ada%40analytical.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=CRM',
      qrCodeSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 37 37">…</svg>',
      status: { ...mfaStatusExample, enabled: false, enabledAt: null, pendingEnrolment: true, recoveryCodesLeft: 0 },
    }),
    ...pick(401, 403, 429),
    409: failureResponse(
      'MFA is already on',
      'mfa_already_enabled',
      'MFA is already on; turn it off first to start again',
    ),
  },
});
