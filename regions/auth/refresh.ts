import type { z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { refreshTokens } from '../../db/schema/index.ts';
import { hashToken, parseRoutableToken } from '../../edge/protocol/routable-token.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { RefreshInput } from '../../openapi/schemas/auth.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';
import { loadAccount } from './load.ts';
import { issueSession } from './session.ts';

type Origin = { ip: string | null; userAgent: string | null };

const invalid = (code = 'invalid_refresh_token', message = 'The refresh token is not valid; sign in again') =>
  new ApiError(401, code, message);

/**
 * Rotates a refresh token. A token that was already used means it was copied: the whole family is revoked
 * (committed, not rolled back with the refusal), so neither the thief nor the owner can go on with it.
 */
export async function refresh(ctx: RegionContext, input: z.infer<typeof RefreshInput>, origin: Origin) {
  const parsed = parseRoutableToken(input.refreshToken);
  if (parsed?.kind !== 'rt' || parsed.region !== ctx.region) throw invalid();
  const { organizationId } = parsed;
  const tokenHash = await hashToken(input.refreshToken);

  const outcome = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [token] = await tx
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.organizationId, organizationId), eq(refreshTokens.tokenHash, tokenHash)))
      .for('update');
    if (!token) return { refused: invalid() };
    // Revoked but never used: the session was ended (logout, or a reuse elsewhere in the family) — not a theft.
    if (token.revokedAt && !token.usedAt)
      return { refused: invalid('invalid_refresh_token', 'This session has ended; sign in again') };
    if (token.usedAt) {
      if (!token.revokedAt) {
        await tx
          .update(refreshTokens)
          .set({ revokedAt: new Date() })
          .where(
            and(
              eq(refreshTokens.organizationId, organizationId),
              eq(refreshTokens.familyId, token.familyId),
              isNull(refreshTokens.revokedAt),
            ),
          );
        await recordChange(tx, {
          organizationId,
          actor: { principal: null, ...origin },
          action: 'auth.refresh_reuse_detected',
          target: { type: 'user', id: token.userId },
          changes: { familyId: token.familyId },
        });
      }
      return {
        refused: invalid('refresh_token_reused', 'This refresh token was used already; the session is revoked'),
      };
    }
    if (token.expiresAt.getTime() <= Date.now()) return { refused: invalid('refresh_token_expired', 'Sign in again') };
    const account = await loadAccount(tx, organizationId, token.userId);
    if (account?.user.status !== 'active') return { refused: invalid() };
    await tx
      .update(refreshTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(refreshTokens.organizationId, organizationId), eq(refreshTokens.id, token.id)));
    return { session: await issueSession(ctx, tx, { ...account, familyId: token.familyId, origin }) };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.session;
}
