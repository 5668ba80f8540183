import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { savedViews } from '../../db/schema/index.ts';
import type { SavedViewPatch } from '../../openapi/schemas/saved-views.ts';
import type { RegionContext } from '../context.ts';
import { definitionsFor } from '../custom-fields/definitions.ts';
import type { Actor } from '../support/actor.ts';
import { diff, recordChange } from '../support/record.ts';
import { lockOwnView } from './access.ts';
import { checkViewFilters } from './filters.ts';
import { savedViewView } from './view.ts';

/** The owner renames, refilters, resorts or (un)shares a view. */
export async function updateSavedView(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof SavedViewPatch>,
) {
  const { principal } = actor;
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockOwnView(tx, principal, id);
    let filters: Record<string, string> | undefined;
    if (patch.filters !== undefined) {
      const definitions = current.entity === 'activity' ? [] : await definitionsFor(tx, organizationId, current.entity);
      filters = checkViewFilters(current.entity, patch.filters, definitions);
    }
    const changes = diff(current as unknown as Record<string, unknown>, { ...patch, filters });
    if (Object.keys(changes).length === 0) return savedViewView(current);
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const t = savedViews;
    const [row] = await tx
      .update(t)
      .set({ ...next, updatedAt: new Date() })
      .where(and(eq(t.organizationId, organizationId), eq(t.id, id)))
      .returning();
    const view = savedViewView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'saved_view.updated',
      target: { type: 'saved_view', id },
      changes,
      event: { type: 'saved_view.updated', payload: { view, changes } },
    });
    return view;
  });
}
