import type { z } from '@hono/zod-openapi';
import { and, count, desc, eq, isNotNull, isNull, lt, type SQL } from 'drizzle-orm';
import { notifications } from '../../db/schema/index.ts';
import type { NotificationListQuery } from '../../openapi/schemas/notifications.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { memberOf } from './access.ts';
import { notificationView } from './view.ts';

/** The caller's notifications, newest first, with the count of those still unread. */
export async function listNotifications(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof NotificationListQuery>,
) {
  const { organizationId, userId } = memberOf(principal);
  const t = notifications;
  const mine = [eq(t.organizationId, organizationId), eq(t.userId, userId)];
  const conditions: SQL[] = [...mine];
  if (query.unread === 'true') conditions.push(isNull(t.readAt));
  if (query.unread === 'false') conditions.push(isNotNull(t.readAt));
  if (query.cursor) conditions.push(lt(t.id, decodeCursor(query.cursor)));
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const rows = await tx
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(desc(t.id))
      .limit(query.limit + 1);
    const [unread] = await tx
      .select({ n: count() })
      .from(t)
      .where(and(...mine, isNull(t.readAt)));
    const page = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    return {
      data: page.map(notificationView),
      nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null,
      unreadCount: unread?.n ?? 0,
    };
  });
}
