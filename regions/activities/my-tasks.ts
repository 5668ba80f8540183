import type { z } from '@hono/zod-openapi';
import { and, asc, eq, gt, gte, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { activities } from '../../db/schema/index.ts';
import { forbidden } from '../../openapi/errors.ts';
import type { TaskViewQuery } from '../../openapi/schemas/activities.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeTaskCursor, encodeTaskCursor, type TaskPosition } from './task-cursor.ts';
import { taskWindow } from './task-windows.ts';
import { activityView } from './view.ts';

/** Tasks after a position in (dueAt ascending, no due time last, then id) order. */
function after({ dueAt, id }: TaskPosition): SQL {
  if (dueAt === null) return and(isNull(activities.dueAt), gt(activities.id, id))!;
  return or(
    gt(activities.dueAt, dueAt),
    and(eq(activities.dueAt, dueAt), gt(activities.id, id)),
    isNull(activities.dueAt),
  )!;
}

/** The caller's own tasks in one of the three views, soonest due first, keyset-paginated. */
export async function listMyTasks(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof TaskViewQuery>,
  now = new Date(),
) {
  assertCan(principal, 'activities:read');
  if (principal.type !== 'user')
    throw forbidden('API keys have no tasks of their own; list /api/v1/activities instead');
  const { organizationId } = principal;
  const window = taskWindow(query.view, now, query.tz);
  const conditions: SQL[] = [
    eq(activities.organizationId, organizationId),
    eq(activities.ownerId, principal.userId),
    eq(activities.type, 'task'),
  ];
  if (window.openOnly) conditions.push(eq(activities.done, false));
  if (window.dueFrom) conditions.push(gte(activities.dueAt, window.dueFrom));
  if (window.dueBefore) conditions.push(lt(activities.dueAt, window.dueBefore));
  if (query.cursor) conditions.push(after(decodeTaskCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(activities)
      .where(and(...conditions))
      .orderBy(sql`${activities.dueAt} asc nulls last`, asc(activities.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeTaskCursor(last) : null;
  return { data: page.map(activityView), nextCursor };
}
