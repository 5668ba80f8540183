import { and, eq } from 'drizzle-orm';
import { generate } from 'otplib';
import { expect } from 'vitest';
import { auditLog, mfaChallenges, userMfa } from '../../db/schema/index.ts';
import type { apiClient } from '../../test/support/api.ts';
import type { TestStack } from '../../test/support/stack.ts';
import { TOTP_PERIOD_SECONDS } from './totp.ts';

type Api = ReturnType<typeof apiClient>;
export type Account = Awaited<ReturnType<Api['signup']>>;

/** Every MFA call of the suites says who it is, so the audit rows can be checked for it. */
export const USER_AGENT = 'mfa-suite/1.0';
export const headers = { 'user-agent': USER_AGENT };

/** The authenticator's code `steps` time steps from now, as the user's phone would show it then. */
export const codeAt = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * TOTP_PERIOD_SECONDS });

/**
 * Waits, if need be, until the current time step has at least `seconds` left, so a code computed for the step
 * before or after now is still within the window when the server checks it.
 */
export async function awayFromStepEdge(seconds = 6) {
  const left = TOTP_PERIOD_SECONDS - (Math.floor(Date.now() / 1000) % TOTP_PERIOD_SECONDS);
  if (left < seconds) await new Promise((done) => setTimeout(done, (left + 1) * 1000));
}

/** Enrols an account through the API with the current code; answers its secret and recovery codes. */
export async function enrol(api: Api, account: { token: string }) {
  await awayFromStepEdge();
  const started = await api.call('POST', '/api/v1/me/mfa/enrolment', { token: account.token, headers });
  expect(started.status, JSON.stringify(started.data)).toBe(200);
  const secret = started.data.secret as string;
  const confirmed = await api.call('POST', '/api/v1/me/mfa/enrolment/confirm', {
    token: account.token,
    headers,
    body: { code: await codeAt(secret) },
  });
  expect(confirmed.status, JSON.stringify(confirmed.data)).toBe(200);
  return { secret, recoveryCodes: confirmed.data.recoveryCodes as string[] };
}

export const login = (api: Api, email: string, password: string) =>
  api.call('POST', '/api/v1/auth/login', { headers, body: { email, password } });

export const secondStep = (api: Api, body: Record<string, unknown>) =>
  api.call('POST', '/api/v1/auth/login/mfa', { headers, body });

/** Starts a sign-in of an account with MFA and answers its challenge token. */
export async function challenge(api: Api, account: Account): Promise<string> {
  const first = await login(api, account.user.email, account.password);
  expect(first.status, JSON.stringify(first.data)).toBe(200);
  expect(first.data).toMatchObject({ mfaRequired: true, expiresIn: 300 });
  expect(first.data.accessToken).toBeUndefined();
  return first.data.mfaToken as string;
}

const regionOf = (stack: TestStack, account: Account) => stack.regions[account.organization.homeRegion]!;

export function shardOf(stack: TestStack, account: Account) {
  return regionOf(stack, account).ctx.shards;
}

/** The account's audit rows about `userId` (or itself), oldest first. */
export async function auditRows(stack: TestStack, account: Account, userId = account.user.id) {
  const rows = await shardOf(stack, account).withTenant(account.organization.id, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, account.organization.id), eq(auditLog.targetId, userId)))
      .orderBy(auditLog.createdAt),
  );
  return rows;
}

export async function mfaRow(stack: TestStack, account: Account, userId = account.user.id) {
  const [row] = await shardOf(stack, account).withTenant(account.organization.id, (tx) =>
    tx
      .select()
      .from(userMfa)
      .where(and(eq(userMfa.organizationId, account.organization.id), eq(userMfa.userId, userId))),
  );
  return row ?? null;
}

/** Test setup: lets the account's next code come from any step in the window again (as after a minute's wait). */
export async function forgetLastStep(stack: TestStack, account: Account) {
  await shardOf(stack, account).withTenant(account.organization.id, (tx) =>
    tx
      .update(userMfa)
      .set({ lastTimeStep: null })
      .where(and(eq(userMfa.organizationId, account.organization.id), eq(userMfa.userId, account.user.id))),
  );
}

/** Test setup: the account's pending challenges expire now, as five minutes later. */
export async function expireChallenges(stack: TestStack, account: Account) {
  await shardOf(stack, account).withTenant(account.organization.id, (tx) =>
    tx
      .update(mfaChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(mfaChallenges.organizationId, account.organization.id)),
  );
}
