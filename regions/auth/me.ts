import { eq } from 'drizzle-orm';
import { organizations } from '../../db/schema/index.ts';
import { unauthorized } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import { mfaStatusOf } from '../mfa/factors.ts';
import type { Actor } from '../support/actor.ts';
import { organizationView, userView } from '../support/views.ts';
import { loadAccount } from './load.ts';
import { displayRole, permissionsOf } from './permissions.ts';

type UserRow = NonNullable<Awaited<ReturnType<typeof loadAccount>>>['user'];

/** The user as /me shows them: the ordinary view plus their own display preferences. */
export const profileView = (user: UserRow, role: Parameters<typeof userView>[1]) => ({
  ...userView(user, role),
  timeZone: user.timeZone,
  locale: user.locale,
  dateFormat: user.dateFormat,
});

export async function me(ctx: RegionContext, { principal }: Actor) {
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (principal.type === 'user') {
      const account = await loadAccount(tx, organizationId, principal.userId);
      if (account?.user.status !== 'active') throw unauthorized('This account is no longer active');
      const mfa = await mfaStatusOf(tx, account.organization, account.user.id);
      return {
        principal: 'user' as const,
        user: profileView(account.user, account.role),
        organization: organizationView(account.organization),
        role: account.role,
        permissions: permissionsOf({ ...principal, role: account.role }),
        mfa,
        mfaEnrolmentRequired: mfa.enrolmentRequired,
      };
    }
    const [organization] = await tx.select().from(organizations).where(eq(organizations.id, organizationId));
    if (!organization) throw unauthorized();
    return {
      principal: 'api_key' as const,
      user: null,
      organization: organizationView(organization),
      role: displayRole(principal),
      permissions: permissionsOf(principal),
      mfa: null,
      mfaEnrolmentRequired: false,
    };
  });
}
