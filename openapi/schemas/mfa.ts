import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';

// Kept apart from auth.ts, which reads MfaStatus for GET /api/v1/me: the sign-in answers that extend auth.ts's
// TokenResponse are in mfa-login.ts, so neither module imports the other in a circle.

export const MfaCode = z
  .string()
  .regex(/^\d{6}$/, 'Enter the six digits your authenticator app shows')
  .openapi({ description: 'The current six-digit code of the authenticator app', example: '492039' });

export const RecoveryCode = z
  .string()
  .min(16, 'A recovery code has 16 letters and digits')
  .max(40)
  .openapi({ description: 'One of the recovery codes, with or without its dashes', example: '7k2m-9qfz-d3hw-x84n' });

export const MfaStatus = z
  .object({
    enabled: z.boolean(),
    enabledAt: Timestamp.nullable(),
    pendingEnrolment: z.boolean().openapi({ description: 'Enrolment was started and waits for its first code' }),
    recoveryCodesLeft: z.number().int().openapi({ example: 10 }),
    organizationRequiresMfa: z.boolean(),
    enrolmentRequired: z
      .boolean()
      .openapi({ description: 'The organization requires MFA and this user has none yet: they should enrol now' }),
  })
  .openapi('MfaStatus');

export const MfaEnrolment = z
  .object({
    secret: z
      .string()
      .openapi({ description: 'Base32, for typing into an app by hand', example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }),
    otpauthUri: z.string().openapi({
      example: 'otpauth://totp/CRM:ada%40analytical.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=CRM',
    }),
    qrCodeSvg: z.string().openapi({ description: 'The otpauth URI as a QR code: SVG markup', example: '<svg …>' }),
    status: MfaStatus,
  })
  .openapi('MfaEnrolment');

export const MfaCodeInput = z.strictObject({ code: MfaCode }).openapi('MfaCodeInput');

export const MfaRecoveryCodes = z
  .object({
    recoveryCodes: z
      .array(z.string())
      .openapi({ description: 'Ten single-use codes, shown only in this answer', example: ['7k2m-9qfz-d3hw-x84n'] }),
    status: MfaStatus,
  })
  .openapi('MfaRecoveryCodes');

/** Exactly one of `code` and `recoveryCode`, the problem named on `code` so a form shows it beside that field. */
const oneSecondFactor = <T extends { code?: string; recoveryCode?: string }>(value: T) =>
  (value.code === undefined) !== (value.recoveryCode === undefined);
const oneSecondFactorIssue = { message: 'Send either a code or a recovery code', path: ['code'] };

export const MfaDisableInput = z
  .strictObject({
    password: z.string().min(1).max(256),
    code: MfaCode.optional(),
    recoveryCode: RecoveryCode.optional(),
  })
  .refine(oneSecondFactor, oneSecondFactorIssue)
  .openapi('MfaDisableInput');

export const MfaLoginInput = z
  .strictObject({
    mfaToken: z.string().min(1).max(200).openapi({ description: 'From the answer of POST /api/v1/auth/login' }),
    code: MfaCode.optional(),
    recoveryCode: RecoveryCode.optional(),
  })
  .refine(oneSecondFactor, oneSecondFactorIssue)
  .openapi('MfaLoginInput');

export const OrganizationSecurity = z
  .object({
    mfaRequired: z.boolean(),
    activeMembers: z.number().int().openapi({ example: 12 }),
    membersWithMfa: z.number().int().openapi({ example: 9 }),
  })
  .openapi('OrganizationSecurity');

export const OrganizationSecurityPatch = z
  .strictObject({ mfaRequired: z.boolean() })
  .openapi('OrganizationSecurityPatch');

export const mfaStatusExample: z.output<typeof MfaStatus> = {
  enabled: true,
  enabledAt: '2026-11-25T15:09:12.000Z',
  pendingEnrolment: false,
  recoveryCodesLeft: 10,
  organizationRequiresMfa: false,
  enrolmentRequired: false,
};

export const recoveryCodesExample: z.output<typeof MfaRecoveryCodes> = {
  recoveryCodes: [
    '7k2m-9qfz-d3hw-x84n',
    'a1bc-2def-3gh4-5jk6',
    'mn7p-q8rs-9tv0-wx1y',
    'z2a3-b4c5-d6e7-f8g9',
    'h0j1-k2m3-n4p5-q6r7',
    's8t9-v0w1-x2y3-z4a5',
    'b6c7-d8e9-f0g1-h2j3',
    'k4m5-n6p7-q8r9-s0t1',
    'v2w3-x4y5-z6a7-b8c9',
    'd0e1-f2g3-h4j5-k6m7',
  ],
  status: mfaStatusExample,
};
