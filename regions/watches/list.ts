import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { watches } from '../../db/schema/index.ts';
import type { WatchListQuery } from '../../openapi/schemas/watches.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { watcherOf } from './access.ts';
import { watchView } from './view.ts';

/** The caller's own watches, newest first. */
export async function listWatches(ctx: RegionContext, { principal }: Actor, query: z.infer<typeof WatchListQuery>) {
  const userId = watcherOf(principal);
  const { organizationId } = principal;
  const conditions: SQL[] = [eq(watches.organizationId, organizationId), eq(watches.userId, userId)];
  if (query.targetType) conditions.push(eq(watches.targetType, query.targetType));
  if (query.cursor) conditions.push(lt(watches.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(watches)
      .where(and(...conditions))
      .orderBy(desc(watches.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(watchView), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}
