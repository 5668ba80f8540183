import type { RegionContext } from '../context.ts';
import { emailDomainOf } from './domain-name.ts';
import { ssoRequired } from './errors.ts';

/**
 * Refuses a password sign-in (403 `sso_required`) when the email's verified domain requires SSO. It depends on the
 * domain alone, never on whether the address is registered, so it tells nothing about accounts.
 */
export async function refuseIfSsoRequired(ctx: RegionContext, email: string) {
  const domain = emailDomainOf(email);
  const entry = domain ? await ctx.directory.findSsoDomain(domain) : null;
  if (entry?.requireSso) throw ssoRequired();
}
