import { and, eq, isNull } from 'drizzle-orm';
import { refreshTokens } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';

/** Revokes the session's refresh-token family; its access token lapses within its short lifetime. */
export async function logout(ctx: RegionContext, actor: Actor): Promise<void> {
  const { principal } = actor;
  if (principal.type !== 'user') return;
  await ctx.shards.withTenant(principal.organizationId, async (tx) => {
    await tx
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(refreshTokens.organizationId, principal.organizationId),
          eq(refreshTokens.familyId, principal.sessionId),
          isNull(refreshTokens.revokedAt),
        ),
      );
    await recordChange(tx, {
      organizationId: principal.organizationId,
      actor,
      action: 'auth.logout',
      target: { type: 'user', id: principal.userId },
    });
  });
  ctx.principals.forget(principal.organizationId, principal.userId);
}
