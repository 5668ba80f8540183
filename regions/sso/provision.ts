import { and, eq } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { memberships, ssoDomains, users } from '../../db/schema/index.ts';
import { loadAccount } from '../auth/load.ts';
import { issueSession } from '../auth/session.ts';
import type { RegionContext } from '../context.ts';
import { beginMfaSignIn } from '../mfa/challenge.ts';
import { recordChange } from '../support/record.ts';
import { normaliseEmail } from '../support/views.ts';
import { emailDomainOf } from './domain-name.ts';
import { ssoFailed, ssoRefused } from './errors.ts';

type Origin = { ip: string | null; userAgent: string | null };
type Connection = {
  id: string;
  protocol: 'oidc' | 'saml';
  defaultRole: 'admin' | 'manager' | 'sales_rep' | 'viewer';
  jitProvisioning: boolean;
};
export type Identity = { email: string; name: string; subject: string };

/**
 * Turns an identity the provider vouched for into a session, as a password sign-in would: the email must be of a
 * domain this organization verified (an IdP may speak only for its own domains); an unknown user is created with
 * the connection's default role when just-in-time provisioning is on; a disabled one is refused; MFA applies as
 * after a password (a user with MFA gets the `mfa_` challenge). Audited `auth.login` with the method.
 */
export async function signInWithIdentity(
  ctx: RegionContext,
  organizationId: string,
  connection: Connection,
  identity: Identity,
  origin: Origin,
) {
  const email = normaliseEmail(identity.email);
  const domain = emailDomainOf(email);
  if (!domain) throw ssoFailed('the identity provider sent no usable email');
  const actor = { principal: null, ...origin };
  const known = await ctx.shards.withTenant(organizationId, async (tx) => {
    const [verified] = await tx
      .select({ id: ssoDomains.id, verifiedAt: ssoDomains.verifiedAt })
      .from(ssoDomains)
      .where(and(eq(ssoDomains.organizationId, organizationId), eq(ssoDomains.domain, domain)));
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.organizationId, organizationId), eq(users.email, email)));
    return { domainVerified: Boolean(verified?.verifiedAt), userId: user?.id ?? null };
  });
  if (!known.domainVerified) {
    throw ssoRefused('sso_domain_not_verified', `${domain} is not a verified domain of this organization`);
  }
  let userId = known.userId;
  let provisioned = false;
  if (!userId) {
    if (!connection.jitProvisioning) {
      throw ssoRefused('sso_user_unknown', 'You have no account here yet; ask an admin to invite you');
    }
    userId = newId();
    if (!(await ctx.directory.claimLogin({ email, organizationId, userId, region: ctx.region }))) {
      throw ssoRefused('email_taken', 'This email is registered with another organization');
    }
    provisioned = true;
  }
  try {
    return await ctx.shards.withTenant(organizationId, async (tx) => {
      if (provisioned) {
        await tx
          .insert(users)
          .values({ organizationId, id: userId, email, name: identity.name.slice(0, 200), passwordHash: null });
        await tx.insert(memberships).values({ organizationId, userId, role: connection.defaultRole });
        await recordChange(tx, {
          organizationId,
          actor,
          action: 'sso.user_provisioned',
          target: { type: 'user', id: userId },
          changes: { connectionId: connection.id, protocol: connection.protocol, role: connection.defaultRole },
        });
      }
      const account = await loadAccount(tx, organizationId, userId);
      if (!account) throw ssoFailed('the account could not be read');
      if (account.user.status === 'disabled') {
        throw ssoRefused('account_disabled', 'This account is disabled; ask an admin');
      }
      if (account.user.status === 'invited') {
        // The IdP vouched for the invitee's address: the invitation is as good as accepted.
        await tx
          .update(users)
          .set({ status: 'active', updatedAt: new Date() })
          .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)));
        account.user.status = 'active';
      }
      const mfa = await beginMfaSignIn(ctx, tx, account, origin);
      if (mfa.challenge) return mfa.challenge;
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'auth.login',
        target: { type: 'user', id: userId },
        changes: { method: 'sso', protocol: connection.protocol, connectionId: connection.id, provisioned },
      });
      return {
        ...(await issueSession(ctx, tx, { ...account, origin })),
        mfaEnrolmentRequired: mfa.enrolmentRequired,
      };
    });
  } catch (error) {
    if (provisioned) await ctx.directory.release({ email }).catch(() => {});
    throw error;
  }
}
