import { asc, eq } from 'drizzle-orm';
import { apiKeys } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { apiKeyView } from '../support/views.ts';

export async function listApiKeys(ctx: RegionContext, actor: Actor) {
  assertCan(actor.principal, 'api_keys:manage');
  const { organizationId } = actor.principal;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx.select().from(apiKeys).where(eq(apiKeys.organizationId, organizationId)).orderBy(asc(apiKeys.id)),
  );
  return { data: rows.map(apiKeyView) };
}
