import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, contacts, deals } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import { recordChanges } from '../batch/record-many.ts';
import type { RegionContext } from '../context.ts';
import { removeStoredFiles } from '../privacy/attachments.ts';
import type { Actor } from '../support/actor.ts';
import { deleteAttachmentsOf, unlinkRows } from '../support/dependents.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { etagOf } from '../support/views.ts';
import { findVisibleContact } from './access.ts';

type ContactRow = typeof contacts.$inferSelect;

/** Deletes one contact the caller can see (removeContacts), honouring If-Match; its files go after the commit. */
export async function deleteContact(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'contacts:delete');
  const { organizationId } = principal;
  const storageKeys = await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findVisibleContact(tx, principal, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'contact');
    return removeContacts(tx, actor, [current]);
  });
  await removeStoredFiles(ctx, storageKeys);
}

/**
 * Deletes contacts the caller has locked (one for a DELETE, a chunk for a bulk delete), unlinks their deals and
 * activities (contactId null, new version) and deletes their attachment rows in the same transaction. Each contact
 * gets its `contact.deleted` audit row and event; the stored files' keys are returned for removal after the commit.
 */
export async function removeContacts(tx: Tx, actor: Actor, rows: ContactRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const { organizationId } = actor.principal;
  const ids = rows.map((row) => row.id);
  const now = new Date();
  const dealIds = await unlinkRows(tx, deals, 'contactId', organizationId, ids, now);
  const activityIds = await unlinkRows(tx, activities, 'contactId', organizationId, ids, now);
  const files = await deleteAttachmentsOf(tx, organizationId, 'contact', ids);
  await tx.delete(contacts).where(and(eq(contacts.organizationId, organizationId), inArray(contacts.id, ids)));
  await recordChanges(
    tx,
    actor,
    ids.map((id) => {
      const unlinked = { dealIds: dealIds.get(id) ?? [], activityIds: activityIds.get(id) ?? [] };
      return {
        action: 'contact.deleted',
        target: { type: 'contact', id },
        changes: { unlinked, attachmentsDeleted: files.countOf(id) },
        event: { type: 'contact.deleted', payload: { contactId: id, unlinked } },
      };
    }),
  );
  return files.storageKeys;
}
