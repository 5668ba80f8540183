import type { z } from '@hono/zod-openapi';
import { and, arrayContains, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import { deals } from '../../db/schema/index.ts';
import type { DealListQuery } from '../../openapi/schemas/deals.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldFilters } from '../custom-fields/filters.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { dealView } from './view.ts';

/** Newest first by UUIDv7 id, so deals created while a client pages land before its cursor. Filters combine (AND). */
export async function listDeals(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof DealListQuery>,
  raw?: Record<string, string>,
) {
  assertCan(principal, 'deals:read');
  const { organizationId } = principal;
  const conditions: SQL[] = [eq(deals.organizationId, organizationId)];
  const own = ownRecordsOnly(principal);
  if (own) conditions.push(eq(deals.ownerId, own));
  if (query.pipelineId) conditions.push(eq(deals.pipelineId, query.pipelineId));
  if (query.stageId) conditions.push(eq(deals.stageId, query.stageId));
  if (query.status) conditions.push(eq(deals.status, query.status));
  if (query.ownerId) conditions.push(eq(deals.ownerId, query.ownerId));
  if (query.contactId) conditions.push(eq(deals.contactId, query.contactId));
  if (query.companyId) conditions.push(eq(deals.companyId, query.companyId));
  if (query.tag) conditions.push(arrayContains(deals.tags, [query.tag]));
  if (query.expectedCloseAfter) conditions.push(gte(deals.expectedCloseDate, query.expectedCloseAfter));
  if (query.expectedCloseBefore) conditions.push(lte(deals.expectedCloseDate, query.expectedCloseBefore));
  if (query.cursor) conditions.push(lt(deals.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, async (tx) =>
    tx
      .select()
      .from(deals)
      .where(and(...conditions, ...(await customFieldFilters(tx, organizationId, 'deal', deals.customFields, raw))))
      .orderBy(desc(deals.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(dealView), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}
