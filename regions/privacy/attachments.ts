import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { attachments } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';

type RecordType = (typeof attachments.$inferSelect)['recordType'];

/**
 * Deletes the attachment rows of records inside the caller's transaction and returns their storage keys; the caller
 * removes the files only after the commit (removeStoredFiles), so a rollback never leaves a row without its file.
 */
export async function deleteAttachmentRows(
  tx: Tx,
  organizationId: string,
  recordType: RecordType,
  recordIds: string[],
): Promise<string[]> {
  if (recordIds.length === 0) return [];
  const removed = await tx
    .delete(attachments)
    .where(
      and(
        eq(attachments.organizationId, organizationId),
        eq(attachments.recordType, recordType),
        inArray(attachments.recordId, recordIds),
      ),
    )
    .returning({ storageKey: attachments.storageKey });
  return removed.map((r) => r.storageKey);
}

/** Removes files whose rows are gone; a failure leaves only an orphan file (no row points at it), logged for clean-up. */
export async function removeStoredFiles(ctx: RegionContext, keys: string[]): Promise<void> {
  for (const key of keys) {
    await ctx.storage
      .delete(key)
      .catch((err) => ctx.log.error({ err, key }, 'could not delete a removed attachment’s file'));
  }
}
