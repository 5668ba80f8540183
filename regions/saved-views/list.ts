import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { savedViews } from '../../db/schema/index.ts';
import type { SavedViewListQuery } from '../../openapi/schemas/saved-views.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { savedViewView } from './view.ts';

/** The caller's own views and those shared with the organization, newest first. */
export async function listSavedViews(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof SavedViewListQuery>,
) {
  const { organizationId } = principal;
  const t = savedViews;
  const conditions: SQL[] = [
    eq(t.organizationId, organizationId),
    or(eq(t.ownerId, actorId(principal)), eq(t.shared, true))!,
  ];
  if (query.entity) conditions.push(eq(t.entity, query.entity));
  if (query.cursor) conditions.push(lt(t.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(desc(t.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(savedViewView), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}
