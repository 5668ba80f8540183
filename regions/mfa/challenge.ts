import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { mfaChallenges } from '../../db/schema/index.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { MfaLoginInput } from '../../openapi/schemas/mfa.ts';
import { loadAccount } from '../auth/load.ts';
import { issueSession } from '../auth/session.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';
import { issueSingleUseToken, readSingleUseToken } from '../support/single-use-token.ts';
import { challengeExpired, mfaLocked } from './errors.ts';
import { checkSecondFactor, loadUserMfa, recoveryCodesLeft } from './factors.ts';

type Origin = { ip: string | null; userAgent: string | null };
type Account = NonNullable<Awaited<ReturnType<typeof loadAccount>>>;

export const CHALLENGE_SECONDS = 300;
export const CHALLENGE_ATTEMPTS = 5;

/**
 * The step after a right password, inside the login's transaction: a user with MFA gets a challenge (a routable
 * `mfa_<region>_…` token, so any edge sends the second step to this region and shard) instead of a session; one
 * without is told whether their organization wants them to enrol first.
 */
export async function beginMfaSignIn(ctx: RegionContext, tx: Tx, account: Account, origin: Origin) {
  const { organization, user } = account;
  const mfa = await loadUserMfa(tx, organization.id, user.id);
  if (!mfa?.enabledAt) return { challenge: null, enrolmentRequired: organization.mfaRequired };
  const { token, tokenHash, expiresAt } = await issueSingleUseToken(
    'mfa',
    ctx.region,
    organization.id,
    CHALLENGE_SECONDS,
  );
  const id = newId();
  await tx.insert(mfaChallenges).values({
    organizationId: organization.id,
    id,
    userId: user.id,
    tokenHash,
    expiresAt,
    ip: origin.ip,
  });
  await recordChange(tx, {
    organizationId: organization.id,
    actor: { principal: null, ...origin },
    action: 'auth.mfa_challenged',
    target: { type: 'user', id: user.id },
    changes: { challengeId: id },
  });
  return {
    challenge: { mfaRequired: true as const, mfaToken: token, expiresIn: CHALLENGE_SECONDS },
    enrolmentRequired: false,
  };
}

type Outcome =
  | { kind: 'session'; session: Awaited<ReturnType<typeof issueSession>> }
  | { kind: 'expired' }
  | { kind: 'locked' }
  | { kind: 'wrong'; attemptsLeft: number; field: 'code' | 'recoveryCode' };

/**
 * The second step: the challenge's token and a code (or a recovery code) give the session the password alone did
 * not. Each challenge is good for CHALLENGE_SECONDS, once, and for CHALLENGE_ATTEMPTS wrong codes; wrong codes are
 * counted and audited in a committed transaction before the 401 is answered.
 */
export async function completeMfaLogin(ctx: RegionContext, input: z.infer<typeof MfaLoginInput>, origin: Origin) {
  const presented = await readSingleUseToken('mfa', ctx.region, input.mfaToken);
  if (!presented) throw challengeExpired();
  const { organizationId, tokenHash } = presented;
  const actor = { principal: null, ...origin };
  const outcome = await ctx.shards.withTenant(organizationId, async (tx): Promise<Outcome> => {
    const [challenge] = await tx
      .select()
      .from(mfaChallenges)
      .where(and(eq(mfaChallenges.organizationId, organizationId), eq(mfaChallenges.tokenHash, tokenHash)))
      .for('update');
    const now = new Date();
    if (!challenge || challenge.usedAt || challenge.expiresAt <= now || challenge.attempts >= CHALLENGE_ATTEMPTS) {
      return { kind: 'expired' };
    }
    const { userId } = challenge;
    const account = await loadAccount(tx, organizationId, userId);
    const mfa = await loadUserMfa(tx, organizationId, userId, true);
    if (account?.user.status !== 'active' || !mfa?.enabledAt) return { kind: 'expired' };
    const verdict = await checkSecondFactor(ctx, tx, mfa, input, now);
    const target = { type: 'user', id: userId };
    if (!verdict.ok) {
      const attempts = challenge.attempts + 1;
      await tx
        .update(mfaChallenges)
        .set({ attempts })
        .where(and(eq(mfaChallenges.organizationId, organizationId), eq(mfaChallenges.id, challenge.id)));
      const attemptsLeft = CHALLENGE_ATTEMPTS - attempts;
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'auth.mfa_failed',
        target,
        changes: { during: 'sign_in', reason: verdict.reason, method: verdict.method, attemptsLeft },
      });
      if (verdict.reason === 'locked') return { kind: 'locked' };
      return { kind: 'wrong', attemptsLeft, field: verdict.method === 'totp' ? 'code' : 'recoveryCode' };
    }
    await tx
      .update(mfaChallenges)
      .set({ usedAt: now })
      .where(and(eq(mfaChallenges.organizationId, organizationId), eq(mfaChallenges.id, challenge.id)));
    if (verdict.method === 'recovery_code') {
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'auth.mfa_recovery_code_used',
        target,
        changes: { recoveryCodesLeft: await recoveryCodesLeft(tx, organizationId, userId) },
      });
    }
    await recordChange(tx, { organizationId, actor, action: 'auth.login', target, changes: { mfa: verdict.method } });
    return { kind: 'session', session: await issueSession(ctx, tx, { ...account, origin }) };
  });
  switch (outcome.kind) {
    case 'session':
      return { ...outcome.session, mfaEnrolmentRequired: false };
    case 'expired':
      throw challengeExpired();
    case 'locked':
      throw mfaLocked();
    case 'wrong': {
      const message =
        outcome.attemptsLeft > 0
          ? `The code is wrong or was already used (${outcome.attemptsLeft} ${outcome.attemptsLeft === 1 ? 'try' : 'tries'} left)`
          : 'The code is wrong; that was the last try, so sign in again with your password';
      throw new ApiError(401, 'invalid_mfa_code', message, [{ path: outcome.field, message }]);
    }
  }
}
