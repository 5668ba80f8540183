import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findVisibleView } from './access.ts';
import { savedViewView } from './view.ts';

export async function getSavedView(ctx: RegionContext, { principal }: Actor, id: string) {
  const row = await ctx.shards.withTenant(principal.organizationId, (tx) => findVisibleView(tx, principal, id));
  return savedViewView(row);
}
