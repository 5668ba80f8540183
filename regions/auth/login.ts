import type { z } from '@hono/zod-openapi';
import type { LoginInput } from '../../openapi/schemas/auth.ts';
import type { RegionContext } from '../context.ts';
import { beginMfaSignIn } from '../mfa/challenge.ts';
import { refuseIfSsoRequired } from '../sso/required.ts';
import { recordChange } from '../support/record.ts';
import { normaliseEmail } from '../support/views.ts';
import { loadAccount } from './load.ts';
import { refuseLocked, refuseLogin } from './login-refusal.ts';
import { verifyPassword } from './passwords.ts';
import { issueSession } from './session.ts';

type Origin = { ip: string | null; userAgent: string | null };

/**
 * One answer for every failure (unknown email, wrong password, disabled user), after the same work and no sooner
 * than the same floor; a locked email or network (regions/auth/lockout.ts) is refused first, known or not.
 */
export async function login(ctx: RegionContext, input: z.infer<typeof LoginInput>, origin: Origin) {
  const startedAt = Date.now();
  const email = normaliseEmail(input.email);
  await ctx.loginLockout.assertOpen(email, origin.ip).catch((error) => refuseLocked(startedAt, error));
  // A domain whose organization requires SSO takes no passwords, whoever asks (regions/sso): the answer says so.
  await refuseIfSsoRequired(ctx, email);
  const entry = await ctx.directory.findLogin(email);
  if (!entry || entry.region !== ctx.region) {
    await verifyPassword(null, input.password);
    throw await refuseLogin(ctx, { email, origin, startedAt, account: null });
  }
  const { organizationId, userId } = entry;
  const account = await ctx.shards.withTenant(organizationId, (tx) => loadAccount(tx, organizationId, userId));
  const valid = await verifyPassword(account?.user.passwordHash, input.password);
  if (!account || !valid || account.user.status !== 'active') {
    throw await refuseLogin(ctx, { email, origin, startedAt, account: account ? { organizationId, userId } : null });
  }
  await ctx.loginLockout.recordSuccess(email);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    // With MFA on, the right password earns a challenge for the second step, not yet a session (regions/mfa).
    const mfa = await beginMfaSignIn(ctx, tx, account, origin);
    if (mfa.challenge) return mfa.challenge;
    await recordChange(tx, {
      organizationId,
      actor: { principal: null, ...origin },
      action: 'auth.login',
      target: { type: 'user', id: userId },
    });
    return { ...(await issueSession(ctx, tx, { ...account, origin })), mfaEnrolmentRequired: mfa.enrolmentRequired };
  });
}
