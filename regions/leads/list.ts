import type { z } from '@hono/zod-openapi';
import { and, count, eq, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import type { LeadListQuery } from '../../openapi/schemas/leads.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldFilters } from '../custom-fields/filters.ts';
import type { Actor } from '../support/actor.ts';
import { leadView } from '../support/views.ts';
import { type LeadFilter, leadConditions } from './filters.ts';
import { afterCursor, cursorAfter, orderOf, sortKeyOf } from './sort.ts';

/** Every condition a lead must meet to be listed for this principal: the tenant, a rep's own, and the filters. */
async function visibleMatching(tx: Tx, principal: Principal, filter: LeadFilter, raw?: Record<string, string>) {
  const { organizationId } = principal;
  const conditions: SQL[] = [eq(leads.organizationId, organizationId), ...leadConditions(filter)];
  const own = ownRecordsOnly(principal);
  if (own) conditions.push(eq(leads.ownerId, own));
  conditions.push(...(await customFieldFilters(tx, organizationId, 'lead', leads.customFields, raw)));
  return conditions;
}

/**
 * Keyset pages in the order asked (newest first by UUIDv7 id by default), ties broken by id: a cursor is the last
 * row's (sort key, id), so rows inserted while a client pages land before or after it and none already there is
 * skipped or repeated.
 */
export async function listLeads(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof LeadListQuery>,
  raw?: Record<string, string>,
) {
  assertCan(principal, 'leads:read');
  const { limit, cursor, sort, ...filter } = query;
  const rows = await ctx.shards.withTenant(principal.organizationId, async (tx) => {
    const conditions = await visibleMatching(tx, principal, filter, raw);
    if (cursor) conditions.push(afterCursor(sort, cursor));
    return tx
      .select({ lead: leads, key: sortKeyOf(sort) })
      .from(leads)
      .where(and(...conditions))
      .orderBy(...orderOf(sort))
      .limit(limit + 1);
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const more = rows.length > limit;
  return {
    data: page.map((row) => leadView(row.lead)),
    nextCursor: more && last ? cursorAfter(sort, last.lead.id, last.key) : null,
  };
}

/** How many leads the list would show with these filters (what "select all matching" acts on). */
export async function countLeads(
  ctx: RegionContext,
  { principal }: Actor,
  query: LeadFilter,
  raw?: Record<string, string>,
) {
  assertCan(principal, 'leads:read');
  const [row] = await ctx.shards.withTenant(principal.organizationId, async (tx) =>
    tx
      .select({ count: count() })
      .from(leads)
      .where(and(...(await visibleMatching(tx, principal, query, raw)))),
  );
  return { count: Number(row?.count ?? 0) };
}
