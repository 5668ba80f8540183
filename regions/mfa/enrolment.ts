import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { mfaChallenges, mfaRecoveryCodes, userMfa } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ApiError, conflict, forbidden, notFound, unauthorized } from '../../openapi/errors.ts';
import type { MfaCodeInput, MfaDisableInput } from '../../openapi/schemas/mfa.ts';
import { loadAccount } from '../auth/load.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { mfaLocked, wrongCode } from './errors.ts';
import {
  checkSecondFactor,
  loadUserMfa,
  mfaStatusOf,
  replaceRecoveryCodes,
  type SecondFactor,
  totpContext,
} from './factors.ts';
import { acceptedTimeStep, newTotpSecret, provisioning } from './totp.ts';

/** MFA belongs to a person: an API key has none of its own to change. */
function ownUser(principal: Principal) {
  if (principal.type !== 'user') throw forbidden('An API key has no MFA of its own; sign in as the user');
  return { organizationId: principal.organizationId, userId: principal.userId };
}

async function activeAccount(tx: Tx, organizationId: string, userId: string) {
  const account = await loadAccount(tx, organizationId, userId);
  if (account?.user.status !== 'active') throw unauthorized('This account is no longer active');
  return account;
}

const notEnabled = () => conflict('mfa_not_enabled', 'MFA is not turned on for this user');

/** A refused code was counted and audited in its own committed transaction; the refusal is thrown after it. */
type Refusal = { refused: 'wrong' | 'locked' | 'password'; field: 'code' | 'recoveryCode' };
const refuse = (outcome: Refusal): never => {
  if (outcome.refused === 'password') {
    throw new ApiError(400, 'invalid_password', 'The password is wrong', [
      { path: 'password', message: 'The password is wrong' },
    ]);
  }
  throw outcome.refused === 'locked' ? mfaLocked() : wrongCode(outcome.field);
};
const isRefusal = (outcome: object): outcome is Refusal => 'refused' in outcome;

async function auditFailure(tx: Tx, actor: Actor, userId: string, during: string, reason: string) {
  await recordChange(tx, {
    organizationId: actor.principal.organizationId,
    actor,
    action: 'auth.mfa_failed',
    target: { type: 'user', id: userId },
    changes: { during, reason },
  });
}

export async function getMfaStatus(ctx: RegionContext, actor: Actor) {
  const { organizationId, userId } = ownUser(actor.principal);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const account = await activeAccount(tx, organizationId, userId);
    return mfaStatusOf(tx, account.organization, userId);
  });
}

/**
 * Starts enrolment: a new secret, sealed at rest, that becomes active only once a code from it is confirmed. While
 * one waits for its code, starting again answers that same secret (a page shows the QR code again after a
 * mistyped code, and an app that scanned it stays right); it is only ever shown to its own signed-in user.
 */
export async function startEnrolment(ctx: RegionContext, actor: Actor) {
  const { organizationId, userId } = ownUser(actor.principal);
  const sealed = await ctx.secrets.seal(newTotpSecret(), totpContext(userId));
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const account = await activeAccount(tx, organizationId, userId);
    const current = await loadUserMfa(tx, organizationId, userId, true);
    if (current?.enabledAt)
      throw conflict('mfa_already_enabled', 'MFA is already on; turn it off first to start again');
    // Two first starts at once: the second waits for the first's row and answers its secret.
    if (!current)
      await tx.insert(userMfa).values({ organizationId, userId, secretSealed: sealed }).onConflictDoNothing();
    const pending = current ?? (await loadUserMfa(tx, organizationId, userId, true));
    if (!pending || pending.enabledAt) throw conflict('mfa_already_enabled', 'MFA is already on');
    const secret = await ctx.secrets.open(pending.secretSealed, totpContext(userId));
    const { otpauthUri, qrCodeSvg } = await provisioning(secret, account.user.email);
    return { secret, otpauthUri, qrCodeSvg, status: await mfaStatusOf(tx, account.organization, userId) };
  });
}

/** Turns MFA on with the first code from the new secret, and answers the ten recovery codes, once. */
export async function confirmEnrolment(ctx: RegionContext, actor: Actor, input: z.infer<typeof MfaCodeInput>) {
  const { organizationId, userId } = ownUser(actor.principal);
  const outcome = await ctx.shards.withTenant(organizationId, async (tx) => {
    const account = await activeAccount(tx, organizationId, userId);
    const pending = await loadUserMfa(tx, organizationId, userId, true);
    if (!pending) throw conflict('mfa_enrolment_not_started', 'Start the enrolment first');
    if (pending.enabledAt) throw conflict('mfa_already_enabled', 'MFA is already on');
    const secret = await ctx.secrets.open(pending.secretSealed, totpContext(userId));
    const step = await acceptedTimeStep(secret, input.code, { afterTimeStep: null });
    if (step === null) {
      await auditFailure(tx, actor, userId, 'enrolment', 'wrong_code');
      return { refused: 'wrong', field: 'code' } as Refusal;
    }
    const now = new Date();
    await tx
      .update(userMfa)
      .set({ enabledAt: now, lastTimeStep: step, failedAttempts: 0, updatedAt: now })
      .where(and(eq(userMfa.organizationId, organizationId), eq(userMfa.userId, userId)));
    const recoveryCodes = await replaceRecoveryCodes(tx, organizationId, userId);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'auth.mfa_enabled',
      target: { type: 'user', id: userId },
      changes: { method: 'totp', recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes, status: await mfaStatusOf(tx, account.organization, userId) };
  });
  if (isRefusal(outcome)) return refuse(outcome);
  // The session was held to enrolment while the organization required MFA; it is free from the next request on.
  ctx.principals.forget(organizationId, userId);
  return outcome;
}

/** Ten new recovery codes for a current code of the authenticator; every earlier code stops working. */
export async function regenerateRecoveryCodes(ctx: RegionContext, actor: Actor, input: z.infer<typeof MfaCodeInput>) {
  const { organizationId, userId } = ownUser(actor.principal);
  const outcome = await ctx.shards.withTenant(organizationId, async (tx) => {
    const account = await activeAccount(tx, organizationId, userId);
    const row = await loadUserMfa(tx, organizationId, userId, true);
    if (!row?.enabledAt) throw notEnabled();
    const verdict = await checkSecondFactor(ctx, tx, row, { code: input.code });
    if (!verdict.ok) {
      await auditFailure(tx, actor, userId, 'recovery_codes', verdict.reason);
      return { refused: verdict.reason, field: 'code' } as Refusal;
    }
    const recoveryCodes = await replaceRecoveryCodes(tx, organizationId, userId);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'auth.mfa_recovery_codes_regenerated',
      target: { type: 'user', id: userId },
      changes: { recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes, status: await mfaStatusOf(tx, account.organization, userId) };
  });
  return isRefusal(outcome) ? refuse(outcome) : outcome;
}

/** Everything MFA keeps about a user goes: the secret, the recovery codes, any sign-in waiting for a code. */
async function removeMfa(tx: Tx, organizationId: string, userId: string) {
  await tx.delete(userMfa).where(and(eq(userMfa.organizationId, organizationId), eq(userMfa.userId, userId)));
  await tx
    .delete(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.organizationId, organizationId), eq(mfaRecoveryCodes.userId, userId)));
  await tx
    .delete(mfaChallenges)
    .where(and(eq(mfaChallenges.organizationId, organizationId), eq(mfaChallenges.userId, userId)));
}

/**
 * The user turns their own MFA off with their password and a code (or a recovery code, when the phone is gone).
 * Refused while the organization requires MFA: an admin can reset it instead, and the user enrols again.
 */
export async function disableOwnMfa(ctx: RegionContext, actor: Actor, input: z.infer<typeof MfaDisableInput>) {
  const { organizationId, userId } = ownUser(actor.principal);
  // argon2 takes tens of milliseconds: checked between two transactions, not while holding the row's lock.
  const passwordHash = await ctx.shards.withTenant(organizationId, async (tx) => {
    const account = await activeAccount(tx, organizationId, userId);
    if (account.organization.mfaRequired)
      throw conflict('mfa_required_by_organization', 'Your organization requires MFA, so it cannot be turned off');
    return account.user.passwordHash;
  });
  const passwordRight = await verifyPassword(passwordHash, input.password);
  const factor: SecondFactor =
    input.recoveryCode !== undefined ? { recoveryCode: input.recoveryCode } : { code: input.code };
  const field: Refusal['field'] = factor.recoveryCode !== undefined ? 'recoveryCode' : 'code';
  const outcome = await ctx.shards.withTenant(organizationId, async (tx) => {
    const account = await activeAccount(tx, organizationId, userId);
    const row = await loadUserMfa(tx, organizationId, userId, true);
    if (!row?.enabledAt) throw notEnabled();
    if (!passwordRight) {
      await auditFailure(tx, actor, userId, 'disable', 'wrong_password');
      return { refused: 'password', field } as Refusal;
    }
    const verdict = await checkSecondFactor(ctx, tx, row, factor);
    if (!verdict.ok) {
      await auditFailure(tx, actor, userId, 'disable', verdict.reason);
      return { refused: verdict.reason, field } as Refusal;
    }
    await removeMfa(tx, organizationId, userId);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'auth.mfa_disabled',
      target: { type: 'user', id: userId },
      changes: { by: 'self', with: verdict.method },
    });
    return mfaStatusOf(tx, account.organization, userId);
  });
  return isRefusal(outcome) ? refuse(outcome) : outcome;
}

/**
 * An admin (users:manage) resets another member's MFA, say after a lost phone; the member enrols again. Their own
 * goes through disableOwnMfa, with password and code, so a stolen admin session cannot strip its own second factor.
 */
export async function disableUserMfa(ctx: RegionContext, actor: Actor, userId: string) {
  const { principal } = actor;
  assertCan(principal, 'users:manage');
  if (principal.type === 'user' && principal.userId === userId) {
    throw conflict('own_mfa', 'Turn off your own MFA in your security settings, with your password and a code');
  }
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    // The target is looked up in the caller's organization only (and RLS holds the transaction to it).
    const account = await loadAccount(tx, organizationId, userId);
    if (!account) throw notFound('User');
    const row = await loadUserMfa(tx, organizationId, userId, true);
    if (!row) throw notEnabled();
    await removeMfa(tx, organizationId, userId);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'auth.mfa_disabled',
      target: { type: 'user', id: userId },
      changes: { by: 'admin', wasEnabled: Boolean(row.enabledAt) },
    });
  });
  // Where the organization requires MFA, the member's sessions are held to enrolment again at once.
  ctx.principals.forget(organizationId, userId);
}
