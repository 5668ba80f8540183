import { and, eq, isNull, sql } from 'drizzle-orm';
import { memberships, organizations, refreshTokens, userMfa, users } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { Principal, Role } from '../../edge/protocol/principal.ts';
import { ApiError, unauthorized } from '../../openapi/errors.ts';

/** `mfaPending`: the organization requires MFA and the user has not enrolled yet. */
type Standing = { role: Role; active: boolean; mfaPending: boolean; until: number };

/**
 * What a member who must still enrol in MFA may reach with a password-only session: their own profile, MFA
 * enrolment, their sessions, signing out, and (with the permission, as always) the organization's MFA setting, so
 * an admin who required MFA before enrolling can still undo it. Everything else is 403 until they enrol.
 */
const MFA_ENROLMENT_PATHS = [
  /^\/api\/v1\/me$/,
  /^\/api\/v1\/me\/mfa(\/|$)/,
  /^\/api\/v1\/me\/sessions(\/|$)/,
  /^\/api\/v1\/auth\/logout$/,
  /^\/api\/v1\/organization\/security$/,
];

export const reachableWhileEnrolling = (path: string): boolean => MFA_ENROLMENT_PATHS.some((p) => p.test(path));

export const mfaEnrolmentRequired = () =>
  new ApiError(403, 'mfa_enrolment_required', 'Your organization requires MFA: set it up at /api/v1/me/mfa/enrolment');

export type LivePrincipals = {
  /**
   * The principal with its current role; refused if the user was disabled or the session ended, and (given the
   * request's path) refused with 403 outside MFA enrolment while their organization requires MFA they lack.
   */
  refresh(principal: Principal, path?: string): Promise<Principal>;
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
          mfaPending: sql<boolean>`(select ${organizations.mfaRequired} from ${organizations} where ${eq(
            organizations.id,
            organizationId,
          )}) and not exists (select 1 from ${userMfa} where ${and(
            eq(userMfa.organizationId, organizationId),
            eq(userMfa.userId, userId),
            sql`${userMfa.enabledAt} is not null`,
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
    if (!row) return { role: 'viewer', active: false, mfaPending: false, until };
    return {
      role: row.role,
      active: row.status === 'active' && Boolean(row.sessionLive),
      mfaPending: Boolean(row.mfaPending),
      until,
    };
  }

  return {
    async refresh(principal, path) {
      if (principal.type !== 'user') return principal;
      const key = keyOf(principal.organizationId, principal.userId, principal.sessionId);
      let standing = known.get(key);
      if (!standing || standing.until <= Date.now()) {
        standing = await read(principal.organizationId, principal.userId, principal.sessionId);
        if (known.size >= maxEntries) known.clear();
        known.set(key, standing);
      }
      if (!standing.active) throw unauthorized('This session has ended or the account is disabled; sign in again');
      if (standing.mfaPending && path !== undefined && !reachableWhileEnrolling(path)) throw mfaEnrolmentRequired();
      return standing.role === principal.role ? principal : { ...principal, role: standing.role };
    },
    forget(organizationId, userId) {
      const prefix = `${organizationId}:${userId}:`;
      for (const key of known.keys()) if (key.startsWith(prefix)) known.delete(key);
    },
  };
}
