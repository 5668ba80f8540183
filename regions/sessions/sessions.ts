import { and, desc, eq, gt, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { refreshTokens, users } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { forbidden, notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';

type UserPrincipal = Extract<Principal, { type: 'user' }>;

/** Sessions belong to people: an API key has none to list or end. */
function userPrincipal(principal: Principal): UserPrincipal {
  if (principal.type !== 'user') throw forbidden('API keys have no sessions; sign in as a user');
  return principal;
}

/**
 * When the family's first token was issued: a correlated subquery, spelled out because drizzle leaves the outer
 * table's columns unqualified in a one-table select, where they would bind to the inner table.
 */
const signedInAt = sql.raw(
  '(select min(f.created_at) from refresh_tokens f where f.organization_id = refresh_tokens.organization_id and f.family_id = refresh_tokens.family_id)',
);

/**
 * A session is a refresh-token family: every rotation adds a row and marks the previous one used. The family is
 * active while its newest token is neither used, revoked nor expired; that row says when and from where it was
 * last refreshed, and the family's first row when the user signed in.
 */
export async function listSessions(ctx: RegionContext, actor: Actor) {
  const principal = userPrincipal(actor.principal);
  const { organizationId, userId } = principal;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select({
        id: refreshTokens.familyId,
        signedInAt: signedInAt.mapWith(refreshTokens.createdAt),
        lastUsedAt: refreshTokens.createdAt,
        expiresAt: refreshTokens.expiresAt,
        ip: refreshTokens.ip,
        userAgent: refreshTokens.userAgent,
      })
      .from(refreshTokens)
      .where(
        and(
          eq(refreshTokens.organizationId, organizationId),
          eq(refreshTokens.userId, userId),
          isNull(refreshTokens.usedAt),
          isNull(refreshTokens.revokedAt),
          gt(refreshTokens.expiresAt, new Date()),
        ),
      )
      .orderBy(desc(refreshTokens.createdAt)),
  );
  return {
    data: rows.map((row) => ({
      id: row.id,
      createdAt: (row.signedInAt ?? row.lastUsedAt).toISOString(),
      lastUsedAt: row.lastUsedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      ip: row.ip,
      userAgent: row.userAgent,
      current: row.id === principal.sessionId,
    })),
  };
}

/** Revokes the user's unrevoked refresh tokens matching `which`; the distinct families ended. */
async function revokeFamilies(tx: Tx, organizationId: string, userId: string, which?: SQL): Promise<string[]> {
  const revoked = await tx
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(refreshTokens.organizationId, organizationId),
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        which,
      ),
    )
    .returning({ familyId: refreshTokens.familyId });
  return [...new Set(revoked.map((row) => row.familyId))];
}

/** Ends one of the caller's sessions; any other (another user's, another organization's, ended) is 404. */
export async function revokeSession(ctx: RegionContext, actor: Actor, sessionId: string): Promise<void> {
  const { organizationId, userId } = userPrincipal(actor.principal);
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const ended = await revokeFamilies(tx, organizationId, userId, eq(refreshTokens.familyId, sessionId));
    if (ended.length === 0) throw notFound('Session');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'auth.session_revoked',
      target: { type: 'user', id: userId },
      changes: { sessionId },
    });
  });
  // This process stops honouring the session's access tokens at once; the others within their re-read window.
  ctx.principals.forget(organizationId, userId);
}

/** Ends every session of the caller but the one this request was made with. */
export async function revokeOtherSessions(ctx: RegionContext, actor: Actor): Promise<{ revoked: number }> {
  const { organizationId, userId, sessionId } = userPrincipal(actor.principal);
  const ended = await ctx.shards.withTenant(organizationId, async (tx) => {
    const families = await revokeFamilies(tx, organizationId, userId, ne(refreshTokens.familyId, sessionId));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'auth.sessions_revoked',
      target: { type: 'user', id: userId },
      changes: { sessions: families.length, keptCurrent: true },
    });
    return families;
  });
  ctx.principals.forget(organizationId, userId);
  return { revoked: ended.length };
}

/** An admin signs a user of their organization out everywhere (`users:manage`). */
export async function revokeUserSessions(
  ctx: RegionContext,
  actor: Actor,
  userId: string,
): Promise<{ revoked: number }> {
  assertCan(actor.principal, 'users:manage');
  const { organizationId } = actor.principal;
  const ended = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)));
    if (!user) throw notFound('User');
    const families = await revokeFamilies(tx, organizationId, userId);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'auth.sessions_revoked',
      target: { type: 'user', id: userId },
      changes: { sessions: families.length },
    });
    return families;
  });
  ctx.principals.forget(organizationId, userId);
  return { revoked: ended.length };
}
