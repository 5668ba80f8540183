import type { z } from '@hono/zod-openapi';
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { passwordResets, refreshTokens, users } from '../../db/schema/index.ts';
import { hashToken, makeRoutableToken, parseRoutableToken } from '../../edge/protocol/routable-token.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { PasswordResetConfirmInput, PasswordResetRequestInput } from '../../openapi/schemas/password-reset.ts';
import type { RegionContext } from '../context.ts';
import { queueEmail } from '../emails/queue.ts';
import { noSoonerThan } from '../support/answer-floor.ts';
import { recordChange } from '../support/record.ts';
import { normaliseEmail } from '../support/views.ts';
import { loadAccount } from './load.ts';
import { assertStrongPassword, passwordUserInputs } from './password-strength.ts';
import { hashPassword } from './passwords.ts';

type Origin = { ip: string | null; userAgent: string | null };

export const RESET_LINK_MINUTES = 30;
/** More requests than this in an hour send nothing more (the answer stays the same): no mailbox flooding. */
export const RESET_REQUESTS_PER_HOUR = 3;
/**
 * Every request answers no sooner than this, whether or not the email is registered: sending a link costs a
 * transaction that an unknown email does not, and the answer's timing must not tell them apart.
 */
export const RESET_ANSWER_FLOOR_MS = 400;

const invalidLink = () =>
  new ApiError(400, 'invalid_reset_token', 'This reset link is not valid any more; ask for a new one');

/**
 * Asks for a reset link. The answer is the same for any address (registered here, elsewhere, or not at all): the
 * link goes by email to a registered, active user, and nowhere else.
 */
export async function requestPasswordReset(
  ctx: RegionContext,
  input: z.infer<typeof PasswordResetRequestInput>,
  origin: Origin,
  floorMs = RESET_ANSWER_FLOOR_MS,
): Promise<void> {
  await noSoonerThan(floorMs, sendResetLink(ctx, normaliseEmail(input.email), origin));
}

async function sendResetLink(ctx: RegionContext, email: string, origin: Origin): Promise<void> {
  const entry = await ctx.directory.findLogin(email);
  if (!entry || entry.region !== ctx.region) return;
  const { organizationId, userId } = entry;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const account = await loadAccount(tx, organizationId, userId);
    if (account?.user.status !== 'active') return;
    const hourAgo = new Date(Date.now() - 3_600_000);
    const [recent] = await tx
      .select({ n: count() })
      .from(passwordResets)
      .where(
        and(
          eq(passwordResets.organizationId, organizationId),
          eq(passwordResets.userId, userId),
          gt(passwordResets.createdAt, hourAgo),
        ),
      );
    if ((recent?.n ?? 0) >= RESET_REQUESTS_PER_HOUR) return;
    const now = new Date();
    // Only the newest link works: a mailbox holding several must not hold several keys.
    await tx
      .update(passwordResets)
      .set({ revokedAt: now })
      .where(
        and(
          eq(passwordResets.organizationId, organizationId),
          eq(passwordResets.userId, userId),
          isNull(passwordResets.usedAt),
          isNull(passwordResets.revokedAt),
        ),
      );
    const { token } = makeRoutableToken('prt', ctx.region, organizationId);
    const id = newId();
    await tx.insert(passwordResets).values({
      organizationId,
      id,
      userId,
      tokenHash: await hashToken(token),
      expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
      requestedIp: origin.ip,
      createdAt: now,
    });
    await queueEmail(tx, ctx.jobs, {
      organizationId,
      kind: 'transactional',
      template: 'password_reset',
      data: { name: account.user.name, token, expiresInMinutes: RESET_LINK_MINUTES },
      to: account.user.email,
      userId,
    });
    await recordChange(tx, {
      organizationId,
      actor: { principal: null, ...origin },
      action: 'auth.password_reset_requested',
      target: { type: 'user', id: userId },
      changes: { resetId: id },
    });
  });
}

/**
 * Sets a new password with a reset link's token: the token is spent, every session of the user ends (their refresh
 * tokens are revoked and their live access tokens are re-checked), and the change is audited.
 */
export async function confirmPasswordReset(
  ctx: RegionContext,
  input: z.infer<typeof PasswordResetConfirmInput>,
  origin: Origin,
): Promise<void> {
  const parsed = parseRoutableToken(input.token);
  if (parsed?.kind !== 'prt' || parsed.region !== ctx.region) throw invalidLink();
  const { organizationId } = parsed;
  const tokenHash = await hashToken(input.token);
  // A dead link is said so before anything about the password; a live one's user's names count against it.
  const holder = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [reset] = await tx
      .select()
      .from(passwordResets)
      .where(and(eq(passwordResets.organizationId, organizationId), eq(passwordResets.tokenHash, tokenHash)));
    const live = reset && !reset.usedAt && !reset.revokedAt && reset.expiresAt > new Date();
    return live ? loadAccount(tx, organizationId, reset.userId) : null;
  });
  if (!holder) throw invalidLink();
  await assertStrongPassword(
    input.password,
    passwordUserInputs(holder.user.email, holder.user.name, holder.organization.name),
  );
  // Hashed before the transaction: argon2 takes tens of milliseconds that need not hold row locks.
  const passwordHash = await hashPassword(input.password);
  const userId = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [reset] = await tx
      .select()
      .from(passwordResets)
      .where(and(eq(passwordResets.organizationId, organizationId), eq(passwordResets.tokenHash, tokenHash)))
      .for('update');
    const now = new Date();
    if (!reset || reset.usedAt || reset.revokedAt || reset.expiresAt <= now) return null;
    const account = await loadAccount(tx, organizationId, reset.userId);
    if (account?.user.status !== 'active') return null;
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.organizationId, organizationId), eq(passwordResets.id, reset.id)));
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: now })
      .where(and(eq(users.organizationId, organizationId), eq(users.id, reset.userId)));
    await tx
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(
        and(
          eq(refreshTokens.organizationId, organizationId),
          eq(refreshTokens.userId, reset.userId),
          isNull(refreshTokens.revokedAt),
        ),
      );
    await recordChange(tx, {
      organizationId,
      actor: { principal: null, ...origin },
      action: 'auth.password_reset',
      target: { type: 'user', id: reset.userId },
      changes: { resetId: reset.id, sessionsRevoked: true },
    });
    return reset.userId;
  });
  if (!userId) throw invalidLink();
  ctx.principals.forget(organizationId, userId);
}
