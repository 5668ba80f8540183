import type { watches } from '../../db/schema/index.ts';

type WatchRow = typeof watches.$inferSelect;

export const watchView = (w: WatchRow) => ({
  id: w.id,
  userId: w.userId,
  targetType: w.targetType,
  targetId: w.targetId,
  lastDigestAt: w.targetType === 'saved_view' ? (w.watermark?.toISOString() ?? null) : null,
  createdAt: w.createdAt.toISOString(),
});
