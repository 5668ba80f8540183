import { z } from '@hono/zod-openapi';
import { routableExample } from './examples.ts';

export const SignupConfirmInput = z
  .strictObject({
    token: z
      .string()
      .min(1)
      .max(200)
      .openapi({ description: 'The token of the emailed sign-up link', example: routableExample('sgn') }),
  })
  .openapi('SignupConfirmInput');

/** The one answer of a sign-up that waits for its email to be confirmed, registered email or not. */
export const SignupConfirmationSent = z
  .object({
    status: z.literal('confirmation_sent'),
    message: z.string(),
  })
  .openapi('SignupConfirmationSent');
