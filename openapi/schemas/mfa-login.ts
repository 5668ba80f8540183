import { z } from '@hono/zod-openapi';
import { TokenResponse } from './auth.ts';
import { routableExample, tokenResponseExample } from './examples.ts';

/** A session from a sign-in: the tokens, and whether the organization wants this user to set up MFA first. */
export const LoginSession = TokenResponse.extend({
  mfaEnrolmentRequired: z.boolean().openapi({
    description: 'The organization requires MFA and this user has none: the client should send them to enrol now',
  }),
}).openapi('LoginSession');

export const MfaChallenge = z
  .object({
    mfaRequired: z.literal(true),
    mfaToken: z.string().openapi({
      description:
        'Send it with a code to POST /api/v1/auth/login/mfa: good for 5 minutes, once, and for 5 wrong codes',
      example: routableExample('mfa'),
    }),
    expiresIn: z.number().int().openapi({ example: 300 }),
  })
  .openapi('MfaChallenge');

export const LoginResponse = z.union([LoginSession, MfaChallenge]).openapi('LoginResponse');

export const loginSessionExample: z.output<typeof LoginSession> = {
  ...tokenResponseExample,
  mfaEnrolmentRequired: false,
};

export const mfaChallengeExample: z.output<typeof MfaChallenge> = {
  mfaRequired: true,
  mfaToken: routableExample('mfa'),
  expiresIn: 300,
};
