import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findVisibleContact } from './access.ts';
import { contactView } from './view.ts';

export async function getContact(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'contacts:read');
  const row = await ctx.shards.withTenant(principal.organizationId, (tx) => findVisibleContact(tx, principal, id));
  return contactView(row);
}
