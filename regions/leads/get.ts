import { and, eq } from 'drizzle-orm';
import { leads } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { leadView } from '../support/views.ts';

export async function getLead(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'leads:read');
  const { organizationId } = principal;
  const [row] = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, id))),
  );
  const own = ownRecordsOnly(principal);
  if (!row || (own && row.ownerId !== own)) throw notFound('Lead');
  return leadView(row);
}
