import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { emailThrottle } from '../../db/schema/index.ts';

export type ThrottleLimits = { ratePerMinute: number; burst: number };
export type Bucket = { tokens: number; refilledAt: Date };

/**
 * How an email takes its turn:
 * - `reserve` (bulk): when no token is there, it takes one anyway, so the bucket goes into debt, and waits until
 *   its token would have arrived. Each campaign email is put off once, to a slot of its own, and the slots of a
 *   campaign are spaced at the rate: no email polls for a token, however long the campaign.
 * - `now` (notifications, one-off emails): they never wait behind a campaign. They take a token as well, so a
 *   campaign running at the time moves back one slot for each of them, and the organization's total stays at the
 *   rate over time.
 */
export type TurnMode = 'reserve' | 'now';

export type Turn = { bucket: Bucket; waitMs: number };

/**
 * A token bucket that may go into debt: it fills at `ratePerMinute` up to `burst` tokens, and each email takes
 * one. `waitMs` is 0 when the email goes now, otherwise the time until its reserved token.
 */
export function takeTurn(bucket: Bucket | null, now: Date, limits: ThrottleLimits, mode: TurnMode): Turn {
  const perMs = limits.ratePerMinute / 60_000;
  const start = bucket ?? { tokens: limits.burst, refilledAt: now };
  const elapsed = Math.max(0, now.getTime() - start.refilledAt.getTime());
  const tokens = Math.min(limits.burst, start.tokens + elapsed * perMs);
  const after = { tokens: tokens - 1, refilledAt: now };
  if (tokens >= 1 || mode === 'now') return { bucket: after, waitMs: 0 };
  return { bucket: after, waitMs: Math.ceil((1 - tokens) / perMs) };
}

/**
 * Takes a turn from the organization's bucket, in the send's tenant transaction. The row is locked until that
 * transaction ends, so every process sending for the organization shares one bucket.
 */
export async function takeOrganizationTurn(
  tx: Tx,
  organizationId: string,
  now: Date,
  limits: ThrottleLimits,
  mode: TurnMode,
): Promise<Turn> {
  // A first send creates the bucket full; a concurrent first send waits on the key, then reads it locked below.
  await tx
    .insert(emailThrottle)
    .values({ organizationId, tokens: limits.burst, refilledAt: now })
    .onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(emailThrottle)
    .where(eq(emailThrottle.organizationId, organizationId))
    .for('update');
  const turn = takeTurn(row ? { tokens: row.tokens, refilledAt: row.refilledAt } : null, now, limits, mode);
  await tx
    .update(emailThrottle)
    .set({ tokens: turn.bucket.tokens, refilledAt: turn.bucket.refilledAt })
    .where(eq(emailThrottle.organizationId, organizationId));
  return turn;
}
