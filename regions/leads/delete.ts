import { and, eq, sql } from 'drizzle-orm';
import { activities, deals, leads } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { deleteAttachmentRows, removeStoredFiles } from '../privacy/attachments.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { lockVisibleLead } from './access.ts';

/**
 * Deletes a lead and, in the same transaction, unlinks its activities and deals (leadId null, new version) and
 * deletes its attachment rows; the files go after the commit. A contact converted from it keeps `leadId`: it names
 * where the contact came from, and the contact's 360° view shows the deleted lead's audit trail through it.
 */
export async function deleteLead(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'leads:delete');
  const { organizationId } = principal;
  const storageKeys = await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockVisibleLead(tx, principal, id);
    checkIfMatch(ifMatch, etagOf(current.version), 'lead');
    const now = new Date();
    const unlinkedActivities = await tx
      .update(activities)
      .set({ leadId: null, version: sql`${activities.version} + 1`, updatedAt: now })
      .where(and(eq(activities.organizationId, organizationId), eq(activities.leadId, id)))
      .returning({ id: activities.id });
    const unlinkedDeals = await tx
      .update(deals)
      .set({ leadId: null, version: sql`${deals.version} + 1`, updatedAt: now })
      .where(and(eq(deals.organizationId, organizationId), eq(deals.leadId, id)))
      .returning({ id: deals.id });
    const keys = await deleteAttachmentRows(tx, organizationId, 'lead', [id]);
    await tx.delete(leads).where(and(eq(leads.organizationId, organizationId), eq(leads.id, id)));
    const unlinked = {
      activityIds: unlinkedActivities.map((r) => r.id),
      dealIds: unlinkedDeals.map((r) => r.id),
    };
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'lead.deleted',
      target: { type: 'lead', id },
      changes: { unlinked, attachmentsDeleted: keys.length },
      event: { type: 'lead.deleted', payload: { leadId: id, unlinked } },
    });
    return keys;
  });
  await removeStoredFiles(ctx, storageKeys);
}
