import type { savedViews } from '../../db/schema/index.ts';

type SavedViewRow = typeof savedViews.$inferSelect;

export const savedViewView = (v: SavedViewRow) => ({
  id: v.id,
  name: v.name,
  entity: v.entity,
  filters: v.filters as Record<string, string>,
  sort: v.sort,
  shared: v.shared,
  ownerId: v.ownerId,
  createdAt: v.createdAt.toISOString(),
  updatedAt: v.updatedAt.toISOString(),
});
