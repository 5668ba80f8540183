import { and, eq, sql } from 'drizzle-orm';
import { activities, dealStageChanges, deals } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { deleteAttachmentRows, removeStoredFiles } from '../privacy/attachments.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { visibleDeal } from './access.ts';

/**
 * Deletes a deal and its stage history (the audit log keeps the record of both), unlinks its activities (dealId null,
 * new version) and deletes its attachment rows in the same transaction; the files go after the commit.
 */
export async function deleteDeal(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'deals:delete');
  const { organizationId } = principal;
  const storageKeys = await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await visibleDeal(tx, principal, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'deal');
    await tx
      .delete(dealStageChanges)
      .where(and(eq(dealStageChanges.organizationId, organizationId), eq(dealStageChanges.dealId, id)));
    const unlinkedActivities = await tx
      .update(activities)
      .set({ dealId: null, version: sql`${activities.version} + 1`, updatedAt: new Date() })
      .where(and(eq(activities.organizationId, organizationId), eq(activities.dealId, id)))
      .returning({ id: activities.id });
    const keys = await deleteAttachmentRows(tx, organizationId, 'deal', [id]);
    await tx.delete(deals).where(and(eq(deals.organizationId, organizationId), eq(deals.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'deal.deleted',
      target: { type: 'deal', id },
      changes: {
        name: current.name,
        pipelineId: current.pipelineId,
        stageId: current.stageId,
        unlinked: { activityIds: unlinkedActivities.map((r) => r.id) },
        attachmentsDeleted: keys.length,
      },
      event: { type: 'deal.deleted', payload: { dealId: id } },
    });
    return keys;
  });
  await removeStoredFiles(ctx, storageKeys);
}
