import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import type { organizations, users } from '../../db/schema/index.ts';
import { refreshTokens } from '../../db/schema/index.ts';
import type { Role } from '../../edge/protocol/principal.ts';
import { hashToken, makeRoutableToken } from '../../edge/protocol/routable-token.ts';
import type { RegionContext } from '../context.ts';
import { organizationView, userView } from '../support/views.ts';

type Origin = { ip: string | null; userAgent: string | null };

/**
 * Signs the user in: a new refresh token (in `familyId`, or a new family for a fresh sign-in) and an access token
 * whose `sid` names the family, so signing out revokes exactly this session.
 */
export async function issueSession(
  ctx: RegionContext,
  tx: Tx,
  session: {
    organization: typeof organizations.$inferSelect;
    user: typeof users.$inferSelect;
    role: Role;
    familyId?: string;
    origin: Origin;
  },
) {
  const { organization, user, role, origin } = session;
  const familyId = session.familyId ?? newId();
  const { token: refreshToken } = makeRoutableToken('rt', ctx.region, organization.id);
  await tx.insert(refreshTokens).values({
    organizationId: organization.id,
    id: newId(),
    userId: user.id,
    familyId,
    tokenHash: await hashToken(refreshToken),
    expiresAt: new Date(Date.now() + ctx.refreshTokenTtlSeconds * 1000),
    ip: origin.ip,
    userAgent: origin.userAgent?.slice(0, 500) ?? null,
  });
  const accessToken = await ctx.tokens.signAccessToken(
    { sub: user.id, org: organization.id, region: ctx.region, role, sid: familyId },
    ctx.accessTokenTtlSeconds,
  );
  return {
    accessToken,
    refreshToken,
    tokenType: 'Bearer' as const,
    expiresIn: ctx.accessTokenTtlSeconds,
    user: userView(user, role),
    organization: organizationView(organization),
  };
}
