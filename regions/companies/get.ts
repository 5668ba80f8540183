import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findCompany } from './access.ts';
import { companyView } from './view.ts';

export async function getCompany(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'companies:read');
  const { organizationId } = principal;
  return companyView(await ctx.shards.withTenant(organizationId, (tx) => findCompany(tx, organizationId, id)));
}
