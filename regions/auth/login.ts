import type { z } from '@hono/zod-openapi';
import { ApiError } from '../../openapi/errors.ts';
import type { LoginInput } from '../../openapi/schemas/auth.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';
import { normaliseEmail } from '../support/views.ts';
import { loadAccount } from './load.ts';
import { verifyPassword } from './passwords.ts';
import { issueSession } from './session.ts';

type Origin = { ip: string | null; userAgent: string | null };

const invalidCredentials = () => new ApiError(401, 'invalid_credentials', 'The email or password is wrong');

/** One answer for every failure (unknown email, wrong password, disabled user), after the same work. */
export async function login(ctx: RegionContext, input: z.infer<typeof LoginInput>, origin: Origin) {
  const email = normaliseEmail(input.email);
  const entry = await ctx.directory.findLogin(email);
  if (!entry || entry.region !== ctx.region) {
    await verifyPassword(null, input.password);
    throw invalidCredentials();
  }
  const { organizationId, userId } = entry;
  const account = await ctx.shards.withTenant(organizationId, (tx) => loadAccount(tx, organizationId, userId));
  const valid = await verifyPassword(account?.user.passwordHash, input.password);
  if (!account || !valid || account.user.status !== 'active') {
    if (account) {
      await ctx.shards.withTenant(organizationId, (tx) =>
        recordChange(tx, {
          organizationId,
          actor: { principal: null, ...origin },
          action: 'auth.login_failed',
          target: { type: 'user', id: userId },
        }),
      );
    }
    throw invalidCredentials();
  }
  return ctx.shards.withTenant(organizationId, async (tx) => {
    await recordChange(tx, {
      organizationId,
      actor: { principal: null, ...origin },
      action: 'auth.login',
      target: { type: 'user', id: userId },
    });
    return issueSession(ctx, tx, { ...account, origin });
  });
}
