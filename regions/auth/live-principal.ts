import { and, eq, isNull, sql } from 'drizzle-orm';
import { memberships, refreshTokens, users } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { Principal, Role } from '../../edge/protocol/principal.ts';
import { unauthorized } from '../../openapi/errors.ts';

type Standing = { role: Role; active: boolean; until: number };

export type LivePrincipals = {
  /** The principal with its current role; refused if the user was disabled or the session ended. */
  refresh(principal: Principal): Promise<Principal>;
  /** Drops what is known of a user, after this process changed their role, status or sessions. */
  forget(organizationId: string, userId: string): void;
};

/**
 * An access token states the role at sign-in; an admin's demotion, a disabled account or a logout must bind
 * sooner than the token expires. Each user's standing is read at most every `ttlMs` per process.
 */
export function createLivePrincipals(shards: ShardSet, ttlMs = 5_000, maxEntries = 20_000): LivePrincipals {
  const known = new Map<string, Standing>();
  const keyOf = (organizationId: string, userId: string, sessionId: string) =>
    `${organizationId}:${userId}:${sessionId}`;

  async function read(organizationId: string, userId: string, sessionId: string): Promise<Standing> {
    const [row] = await shards.withTenant(organizationId, (tx) =>
      tx
        .select({
          role: memberships.role,
          status: users.status,
          sessionLive: sql<boolean>`exists (select 1 from ${refreshTokens} where ${and(
            eq(refreshTokens.organizationId, organizationId),
            eq(refreshTokens.familyId, sessionId),
            isNull(refreshTokens.revokedAt),
          )})`,
        })
        .from(users)
        .innerJoin(
          memberships,
          and(eq(memberships.organizationId, users.organizationId), eq(memberships.userId, users.id)),
        )
        .where(and(eq(users.organizationId, organizationId), eq(users.id, userId))),
    );
    const until = Date.now() + ttlMs;
    if (!row) return { role: 'viewer', active: false, until };
    return { role: row.role, active: row.status === 'active' && Boolean(row.sessionLive), until };
  }

  return {
    async refresh(principal) {
      if (principal.type !== 'user') return principal;
      const key = keyOf(principal.organizationId, principal.userId, principal.sessionId);
      let standing = known.get(key);
      if (!standing || standing.until <= Date.now()) {
        standing = await read(principal.organizationId, principal.userId, principal.sessionId);
        if (known.size >= maxEntries) known.clear();
        known.set(key, standing);
      }
      if (!standing.active) throw unauthorized('This session has ended or the account is disabled; sign in again');
      return standing.role === principal.role ? principal : { ...principal, role: standing.role };
    },
    forget(organizationId, userId) {
      const prefix = `${organizationId}:${userId}:`;
      for (const key of known.keys()) if (key.startsWith(prefix)) known.delete(key);
    },
  };
}
