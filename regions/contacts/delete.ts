import { and, eq, sql } from 'drizzle-orm';
import { activities, contacts, deals } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { deleteAttachmentRows, removeStoredFiles } from '../privacy/attachments.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { findVisibleContact } from './access.ts';

/** Deletes a contact and unlinks its deals and activities (contactId null) in the same transaction. */
export async function deleteContact(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'contacts:delete');
  const { organizationId } = principal;
  const storageKeys = await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findVisibleContact(tx, principal, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'contact');
    const now = new Date();
    const unlinkedDeals = await tx
      .update(deals)
      .set({ contactId: null, version: sql`${deals.version} + 1`, updatedAt: now })
      .where(and(eq(deals.organizationId, organizationId), eq(deals.contactId, id)))
      .returning({ id: deals.id });
    const unlinkedActivities = await tx
      .update(activities)
      .set({ contactId: null, version: sql`${activities.version} + 1`, updatedAt: now })
      .where(and(eq(activities.organizationId, organizationId), eq(activities.contactId, id)))
      .returning({ id: activities.id });
    const keys = await deleteAttachmentRows(tx, organizationId, 'contact', [id]);
    await tx.delete(contacts).where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, id)));
    const unlinked = { dealIds: unlinkedDeals.map((r) => r.id), activityIds: unlinkedActivities.map((r) => r.id) };
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'contact.deleted',
      target: { type: 'contact', id },
      changes: { unlinked, attachmentsDeleted: keys.length },
      event: { type: 'contact.deleted', payload: { contactId: id, unlinked } },
    });
    return keys;
  });
  await removeStoredFiles(ctx, storageKeys);
}
