import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { leads } from '../../db/schema/index.ts';
import type { LeadListQuery } from '../../openapi/schemas/leads.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldFilters } from '../custom-fields/filters.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { leadView } from '../support/views.ts';

/** Newest first by UUIDv7 id: rows inserted while a client pages land before its cursor, so none is skipped or repeated. */
export async function listLeads(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof LeadListQuery>,
  raw?: Record<string, string>,
) {
  assertCan(principal, 'leads:read');
  const { organizationId } = principal;
  const conditions: SQL[] = [eq(leads.organizationId, organizationId)];
  const own = ownRecordsOnly(principal);
  if (own) conditions.push(eq(leads.ownerId, own));
  if (query.ownerId) conditions.push(eq(leads.ownerId, query.ownerId));
  if (query.status) conditions.push(eq(leads.status, query.status));
  if (query.source) conditions.push(eq(leads.source, query.source));
  if (query.cursor) conditions.push(lt(leads.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, async (tx) =>
    tx
      .select()
      .from(leads)
      .where(and(...conditions, ...(await customFieldFilters(tx, organizationId, 'lead', leads.customFields, raw))))
      .orderBy(desc(leads.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(leadView), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}
