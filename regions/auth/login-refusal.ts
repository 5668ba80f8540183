import { ApiError } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';

type Origin = { ip: string | null; userAgent: string | null };

/**
 * Every refused sign-in (wrong password, unknown email, disabled user, locked) is answered no sooner than this
 * after it arrived. A registered email's refusal costs more work than an unknown one's (its account is read, the
 * failure audited in its organization), and the answer's timing must not tell them apart.
 */
export const LOGIN_REFUSAL_FLOOR_MS = 400;

export const invalidCredentials = () => new ApiError(401, 'invalid_credentials', 'The email or password is wrong');

const untilFloor = (startedAt: number) =>
  new Promise((done) => setTimeout(done, Math.max(0, startedAt + LOGIN_REFUSAL_FLOOR_MS - Date.now())));

/** Refuses a sign-in that is locked out (429, Retry-After), at the floor: the lock is not counted as a failure. */
export async function refuseLocked(startedAt: number, error: unknown): Promise<never> {
  await untilFloor(startedAt);
  throw error;
}

/**
 * A failed sign-in: counted against the email and the client's network, audited in the account's organization
 * when there is one (`auth.login_failed`, and `auth.locked_out` for each lock the failure imposed), then answered
 * 401 at the floor. An unregistered email's lock has no organization to be audited in; it is logged.
 */
export async function refuseLogin(
  ctx: RegionContext,
  attempt: {
    email: string;
    origin: Origin;
    startedAt: number;
    account: { organizationId: string; userId: string } | null;
  },
): Promise<ApiError> {
  const { origin, account } = attempt;
  const locks = await ctx.loginLockout.recordFailure(attempt.email, origin.ip);
  if (account) {
    const { organizationId, userId } = account;
    const actor = { principal: null, ...origin };
    const target = { type: 'user', id: userId };
    await ctx.shards.withTenant(organizationId, async (tx) => {
      await recordChange(tx, { organizationId, actor, action: 'auth.login_failed', target });
      for (const lock of locks) {
        await recordChange(tx, {
          organizationId,
          actor,
          action: 'auth.locked_out',
          target,
          changes: { scope: lock.scope, failures: lock.failures, lockedUntil: lock.lockedUntil.toISOString() },
        });
      }
    });
  } else {
    for (const lock of locks) {
      ctx.log.warn(
        { scope: lock.scope, failures: lock.failures, lockedUntil: lock.lockedUntil, ip: origin.ip },
        'sign-in locked out (unregistered email)',
      );
    }
  }
  await untilFloor(attempt.startedAt);
  return invalidCredentials();
}
