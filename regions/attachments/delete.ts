import { and, eq } from 'drizzle-orm';
import { attachments } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { findVisibleAttachment } from './access.ts';
import { assertMayChange } from './records.ts';
import { ATTACHMENT_ETAG } from './view.ts';

/**
 * Deletes the row with its audit row and `attachment.deleted` event, then the file. A file whose deletion fails
 * after the commit is only an orphan (no row points at it), logged for clean-up; the reverse order could leave a
 * row pointing at nothing.
 */
export async function deleteAttachment(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string) {
  const { principal } = actor;
  const { organizationId } = principal;
  const storageKey = await ctx.shards.withTenant(organizationId, async (tx) => {
    const { attachment, record } = await findVisibleAttachment(tx, principal, id, true);
    assertMayChange(principal, attachment.recordType, record);
    checkIfMatch(ifMatch, ATTACHMENT_ETAG, 'attachment');
    await tx.delete(attachments).where(and(eq(attachments.organizationId, organizationId), eq(attachments.id, id)));
    const { recordType, recordId, filename } = attachment;
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'attachment.deleted',
      target: { type: 'attachment', id },
      changes: { recordType, recordId, filename },
      event: { type: 'attachment.deleted', payload: { attachmentId: id, recordType, recordId } },
    });
    return attachment.storageKey;
  });
  await ctx.storage
    .delete(storageKey)
    .catch((err) => ctx.log.error({ err, key: storageKey }, 'could not delete a removed attachment’s file'));
}
