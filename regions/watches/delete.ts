import { and, eq } from 'drizzle-orm';
import { watches } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { watcherOf } from './access.ts';

/** Stops one of the caller's watches; another member's reads as missing. */
export async function deleteWatch(ctx: RegionContext, actor: Actor, id: string): Promise<void> {
  const { principal } = actor;
  const userId = watcherOf(principal);
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const [gone] = await tx
      .delete(watches)
      .where(and(eq(watches.organizationId, organizationId), eq(watches.id, id), eq(watches.userId, userId)))
      .returning({ targetType: watches.targetType, targetId: watches.targetId });
    if (!gone) throw notFound('Watch');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'watch.deleted',
      target: { type: 'watch', id },
      changes: gone,
    });
  });
}
