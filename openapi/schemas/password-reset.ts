import { z } from '@hono/zod-openapi';
import { Email, Password } from './auth.ts';
import { routableExample } from './examples.ts';

export const PasswordResetRequestInput = z.strictObject({ email: Email }).openapi('PasswordResetRequestInput');

export const PasswordResetConfirmInput = z
  .strictObject({
    token: z
      .string()
      .min(1)
      .max(200)
      .openapi({ example: routableExample('prt') }),
    password: Password,
  })
  .openapi('PasswordResetConfirmInput');

export const PasswordResetRequested = z
  .object({
    status: z.literal('requested'),
    message: z.string(),
  })
  .openapi('PasswordResetRequested');
