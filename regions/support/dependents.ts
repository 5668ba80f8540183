import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.ts';
import { type activities, attachments, type contacts, type deals } from '../../db/schema/index.ts';
import { deleteAttachmentRows } from '../privacy/attachments.ts';

/**
 * What a deleted record leaves behind, handled set-wise so one delete and a bulk delete of 500 share the same code:
 * rows that link to it (unlinked) and its attachments (deleted).
 */

type LinkingTable = typeof activities | typeof contacts | typeof deals;
type LinkKey<T extends LinkingTable> = Extract<
  keyof T['$inferSelect'],
  'leadId' | 'contactId' | 'companyId' | 'dealId'
>;
type RecordType = (typeof attachments.$inferSelect)['recordType'];

/**
 * Clears `key` (companyId and the like) on every row linking to one of the deleted records, with a new version so
 * an If-Match held for such a row no longer matches. Returns, for each deleted record, the ids of the rows it was
 * unlinked from (oldest first). The caller holds the deleted records' row locks, so no row links to them meanwhile.
 */
export async function unlinkRows<T extends LinkingTable>(
  tx: Tx,
  table: T,
  key: LinkKey<T>,
  organizationId: string,
  deletedIds: string[],
  now: Date,
): Promise<Map<string, string[]>> {
  const unlinked = new Map(deletedIds.map((id) => [id, [] as string[]]));
  if (deletedIds.length === 0) return unlinked;
  const link = (table as unknown as Record<string, AnyPgColumn>)[key]!;
  const where = and(eq(table.organizationId, organizationId), inArray(link, deletedIds));
  // RETURNING would show the new (null) link, so which record each row pointed at is read, locked, before the update.
  const rows = (await tx
    .select({ id: table.id, deletedId: link })
    .from(table as typeof activities)
    .where(where)
    .orderBy(table.id)
    .for('update')) as { id: string; deletedId: string }[];
  if (rows.length === 0) return unlinked;
  await tx
    .update(table)
    .set({ [key]: null, version: sql`${table.version} + 1`, updatedAt: now } as never)
    .where(where);
  for (const row of rows) unlinked.get(row.deletedId)?.push(row.id);
  return unlinked;
}

/**
 * Deletes the attachment rows of the deleted records (deleteAttachmentRows), counting them per record for each one's
 * audit row; the storage keys are for removing the files once the transaction committed.
 */
export async function deleteAttachmentsOf(
  tx: Tx,
  organizationId: string,
  recordType: RecordType,
  recordIds: string[],
): Promise<{ storageKeys: string[]; countOf: (recordId: string) => number }> {
  if (recordIds.length === 0) return { storageKeys: [], countOf: () => 0 };
  const counted = await tx
    .select({ recordId: attachments.recordId, n: count() })
    .from(attachments)
    .where(
      and(
        eq(attachments.organizationId, organizationId),
        eq(attachments.recordType, recordType),
        inArray(attachments.recordId, recordIds),
      ),
    )
    .groupBy(attachments.recordId);
  const counts = new Map(counted.map((row) => [row.recordId, row.n]));
  const storageKeys = await deleteAttachmentRows(tx, organizationId, recordType, recordIds);
  return { storageKeys, countOf: (recordId) => counts.get(recordId) ?? 0 };
}
