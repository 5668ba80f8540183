import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { visibleDeal } from './access.ts';
import { dealView } from './view.ts';

export async function getDeal(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'deals:read');
  return dealView(await ctx.shards.withTenant(principal.organizationId, (tx) => visibleDeal(tx, principal, id)));
}
