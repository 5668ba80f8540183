import { and, eq } from 'drizzle-orm';
import { savedViews } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { lockOwnView } from './access.ts';

export async function deleteSavedView(ctx: RegionContext, actor: Actor, id: string): Promise<void> {
  const { principal } = actor;
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    await lockOwnView(tx, principal, id);
    await tx.delete(savedViews).where(and(eq(savedViews.organizationId, organizationId), eq(savedViews.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'saved_view.deleted',
      target: { type: 'saved_view', id },
      event: { type: 'saved_view.deleted', payload: { savedViewId: id } },
    });
  });
}
