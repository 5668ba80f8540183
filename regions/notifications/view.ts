import type { notifications } from '../../db/schema/index.ts';

type NotificationRow = typeof notifications.$inferSelect;

export const notificationView = (n: NotificationRow) => ({
  id: n.id,
  /** The position in the member's stream: the `id:` of its server-sent event, and what Last-Event-ID names. */
  seq: n.seq,
  type: n.type,
  title: n.title,
  body: n.body,
  link: n.linkType && n.linkId ? { type: n.linkType, id: n.linkId } : null,
  readAt: n.readAt?.toISOString() ?? null,
  createdAt: n.createdAt.toISOString(),
});

export type NotificationView = ReturnType<typeof notificationView>;
