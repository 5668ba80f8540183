import { and, count, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { mfaRecoveryCodes, userMfa } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes.ts';
import { acceptedTimeStep } from './totp.ts';

export type UserMfaRow = typeof userMfa.$inferSelect;
export type SecondFactor = { code?: string; recoveryCode?: string };
export type FactorVerdict =
  | { ok: true; method: 'totp' | 'recovery_code' }
  | { ok: false; reason: 'wrong' | 'locked'; method: 'totp' | 'recovery_code' };

/**
 * Wrong codes in a row, across every sign-in attempt and settings form, after which codes are refused for
 * LOCK_MINUTES since the last one: a few wrong codes per challenge alone would let someone holding the password
 * try a million codes through a million challenges.
 */
export const MAX_FAILURES_IN_A_ROW = 10;
export const LOCK_MINUTES = 15;

export const totpContext = (userId: string) => `totp:${userId}`;

const failuresThatCount = (row: UserMfaRow, now: Date) =>
  row.lastFailedAt && now.getTime() - row.lastFailedAt.getTime() < LOCK_MINUTES * 60_000 ? row.failedAttempts : 0;

/** The user's MFA row, locked for the transaction when it is about to be checked or changed. */
export async function loadUserMfa(tx: Tx, organizationId: string, userId: string, lock = false) {
  const query = tx
    .select()
    .from(userMfa)
    .where(and(eq(userMfa.organizationId, organizationId), eq(userMfa.userId, userId)));
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function recoveryCodesLeft(tx: Tx, organizationId: string, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(mfaRecoveryCodes)
    .where(
      and(
        eq(mfaRecoveryCodes.organizationId, organizationId),
        eq(mfaRecoveryCodes.userId, userId),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    );
  return Number(row?.n ?? 0);
}

/** What GET /api/v1/me/mfa (and /me) says about a user. */
export async function mfaStatusOf(tx: Tx, organization: { id: string; mfaRequired: boolean }, userId: string) {
  const row = await loadUserMfa(tx, organization.id, userId);
  const enabled = Boolean(row?.enabledAt);
  return {
    enabled,
    enabledAt: row?.enabledAt?.toISOString() ?? null,
    pendingEnrolment: Boolean(row && !row.enabledAt),
    recoveryCodesLeft: enabled ? await recoveryCodesLeft(tx, organization.id, userId) : 0,
    organizationRequiresMfa: organization.mfaRequired,
    enrolmentRequired: organization.mfaRequired && !enabled,
  };
}

/** Ten new recovery codes in place of every earlier one; the codes themselves are returned once and never kept. */
export async function replaceRecoveryCodes(tx: Tx, organizationId: string, userId: string): Promise<string[]> {
  await tx
    .delete(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.organizationId, organizationId), eq(mfaRecoveryCodes.userId, userId)));
  const codes = newRecoveryCodes();
  const rows = await Promise.all(
    codes.map(async (code) => ({
      organizationId,
      id: newId(),
      userId,
      codeHash: await hashRecoveryCode(userId, normaliseRecoveryCode(code)!),
    })),
  );
  await tx.insert(mfaRecoveryCodes).values(rows);
  return codes;
}

/**
 * Checks a code of the authenticator (a later time step than the last accepted one, ±1 step of now) or spends a
 * recovery code, on a row locked by the caller. Success clears the failures in a row; a wrong one adds to them.
 * The caller audits the outcome and must commit a failure too (return, then throw after the transaction).
 */
export async function checkSecondFactor(
  ctx: RegionContext,
  tx: Tx,
  row: UserMfaRow,
  factor: SecondFactor,
  now = new Date(),
): Promise<FactorVerdict> {
  const method = factor.recoveryCode !== undefined ? 'recovery_code' : 'totp';
  const failures = failuresThatCount(row, now);
  if (failures >= MAX_FAILURES_IN_A_ROW) return { ok: false, reason: 'locked', method };
  const where = and(eq(userMfa.organizationId, row.organizationId), eq(userMfa.userId, row.userId));
  let accepted = false;
  if (method === 'totp' && factor.code !== undefined) {
    const secret = await ctx.secrets.open(row.secretSealed, totpContext(row.userId));
    const step = await acceptedTimeStep(secret, factor.code, {
      afterTimeStep: row.lastTimeStep,
      epochSeconds: Math.floor(now.getTime() / 1000),
    });
    if (step !== null) {
      accepted = true;
      await tx.update(userMfa).set({ lastTimeStep: step, failedAttempts: 0, updatedAt: now }).where(where);
    }
  } else if (factor.recoveryCode !== undefined) {
    const normalised = normaliseRecoveryCode(factor.recoveryCode);
    if (normalised) {
      const spent = await tx
        .update(mfaRecoveryCodes)
        .set({ usedAt: now })
        .where(
          and(
            eq(mfaRecoveryCodes.organizationId, row.organizationId),
            eq(mfaRecoveryCodes.userId, row.userId),
            eq(mfaRecoveryCodes.codeHash, await hashRecoveryCode(row.userId, normalised)),
            isNull(mfaRecoveryCodes.usedAt),
          ),
        )
        .returning({ id: mfaRecoveryCodes.id });
      if (spent.length > 0) {
        accepted = true;
        await tx.update(userMfa).set({ failedAttempts: 0, updatedAt: now }).where(where);
      }
    }
  }
  if (accepted) return { ok: true, method };
  await tx
    .update(userMfa)
    .set({ failedAttempts: failures + 1, lastFailedAt: now, updatedAt: now })
    .where(where);
  return { ok: false, reason: 'wrong', method };
}
