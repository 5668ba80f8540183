import { and, eq, isNull, sql } from 'drizzle-orm';
import { notifications } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { memberOf } from './access.ts';
import { notificationView } from './view.ts';

// Reading a notification is the member's own inbox state, not a change to the organization's data: it gets no
// audit row or event (the audit log would otherwise fill with clicks).

/** Marks one of the caller's notifications read; one already read keeps its first readAt. */
export async function markNotificationRead(ctx: RegionContext, { principal }: Actor, id: string) {
  const { organizationId, userId } = memberOf(principal);
  const t = notifications;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .update(t)
      .set({ readAt: sql`coalesce(${t.readAt}, now())` })
      .where(and(eq(t.organizationId, organizationId), eq(t.userId, userId), eq(t.id, id)))
      .returning();
    if (!row) throw notFound('Notification');
    return notificationView(row);
  });
}

/** Marks every unread notification of the caller read. */
export async function markAllNotificationsRead(ctx: RegionContext, { principal }: Actor) {
  const { organizationId, userId } = memberOf(principal);
  const t = notifications;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .update(t)
      .set({ readAt: new Date() })
      .where(and(eq(t.organizationId, organizationId), eq(t.userId, userId), isNull(t.readAt)))
      .returning({ id: t.id }),
  );
  return { updated: rows.length };
}
