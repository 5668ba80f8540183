import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { attachments } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ApiError, notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import { findVisibleRecord, permissionFor } from './records.ts';

/**
 * The attachment, if the caller may read the record it hangs off; otherwise 404, as if it did not exist. A caller
 * without the record type's read permission gets 403, as for the record itself.
 */
export async function findVisibleAttachment(tx: Tx, principal: Principal, id: string, lock = false) {
  const query = tx
    .select()
    .from(attachments)
    .where(and(eq(attachments.organizationId, principal.organizationId), eq(attachments.id, id)));
  const [attachment] = lock ? await query.for('update') : await query;
  if (!attachment) throw notFound('Attachment');
  assertCan(principal, permissionFor(attachment.recordType, 'read'));
  try {
    const record = await findVisibleRecord(tx, principal, attachment.recordType, attachment.recordId);
    return { attachment, record };
  } catch (error) {
    // The record is gone or hidden from this caller: so is every file hanging off it.
    if (error instanceof ApiError && error.status === 404) throw notFound('Attachment');
    throw error;
  }
}
