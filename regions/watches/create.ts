import type { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { watches } from '../../db/schema/index.ts';
import type { WatchInput } from '../../openapi/schemas/watches.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { assertMayWatch, watcherOf } from './access.ts';
import { watchView } from './view.ts';

/** Watches a record or saved view for the caller; watching it again answers the existing watch (`created: false`). */
export async function createWatch(ctx: RegionContext, actor: Actor, input: z.infer<typeof WatchInput>) {
  const { principal } = actor;
  const userId = watcherOf(principal);
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    await assertMayWatch(tx, principal, input.targetType, input.targetId);
    const [row] = await tx
      .insert(watches)
      .values({
        organizationId,
        id: newId(),
        userId,
        ...input,
        // A saved view's first digest tells what changed after the member started watching, not its whole past.
        watermark: input.targetType === 'saved_view' ? sql`now()` : null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const [existing] = await tx
        .select()
        .from(watches)
        .where(
          and(
            eq(watches.organizationId, organizationId),
            eq(watches.userId, userId),
            eq(watches.targetType, input.targetType),
            eq(watches.targetId, input.targetId),
          ),
        );
      return { created: false, watch: watchView(existing!) };
    }
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'watch.created',
      target: { type: 'watch', id: row.id },
      changes: input,
    });
    return { created: true, watch: watchView(row) };
  });
}
