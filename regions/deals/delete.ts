import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, dealStageChanges, deals } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import { recordChanges } from '../batch/record-many.ts';
import type { RegionContext } from '../context.ts';
import { removeStoredFiles } from '../privacy/attachments.ts';
import type { Actor } from '../support/actor.ts';
import { deleteAttachmentsOf, unlinkRows } from '../support/dependents.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { etagOf } from '../support/views.ts';
import { visibleDeal } from './access.ts';

type DealRow = typeof deals.$inferSelect;

/** Deletes one deal the caller can see (removeDeals), honouring If-Match; its files go after the commit. */
export async function deleteDeal(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'deals:delete');
  const { organizationId } = principal;
  const storageKeys = await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await visibleDeal(tx, principal, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'deal');
    return removeDeals(tx, actor, [current]);
  });
  await removeStoredFiles(ctx, storageKeys);
}

/**
 * Deletes deals the caller has locked (one for a DELETE, a chunk for a bulk delete) and their stage history (the
 * audit log keeps the record of both), unlinks their activities (dealId null, new version) and deletes their
 * attachment rows in the same transaction. Each deal gets its `deal.deleted` audit row and event; the stored files'
 * keys are returned for removal after the commit.
 */
export async function removeDeals(tx: Tx, actor: Actor, rows: DealRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const { organizationId } = actor.principal;
  const ids = rows.map((row) => row.id);
  await tx
    .delete(dealStageChanges)
    .where(and(eq(dealStageChanges.organizationId, organizationId), inArray(dealStageChanges.dealId, ids)));
  const activityIds = await unlinkRows(tx, activities, 'dealId', organizationId, ids, new Date());
  const files = await deleteAttachmentsOf(tx, organizationId, 'deal', ids);
  await tx.delete(deals).where(and(eq(deals.organizationId, organizationId), inArray(deals.id, ids)));
  await recordChanges(
    tx,
    actor,
    rows.map(({ id, name, pipelineId, stageId }) => ({
      action: 'deal.deleted',
      target: { type: 'deal', id },
      changes: {
        name,
        pipelineId,
        stageId,
        unlinked: { activityIds: activityIds.get(id) ?? [] },
        attachmentsDeleted: files.countOf(id),
      },
      event: { type: 'deal.deleted', payload: { dealId: id } },
    })),
  );
  return files.storageKeys;
}
