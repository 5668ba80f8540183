import { newId } from '../../db/ids.ts';
import { attachments } from '../../db/schema/index.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { AttachableRecord } from '../../openapi/schemas/attachments.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { storageKeys } from '../storage/keys.ts';
import { peek } from '../storage/streams.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { acceptedContentType, acceptedTypes, safeFilename } from './content-types.ts';
import { type IncomingFile, receiveUpload } from './multipart.ts';
import { assertMayChange, findVisibleRecord, permissionFor } from './records.ts';
import { attachmentView } from './view.ts';

/**
 * Stores the file part as it arrives, once its type is known (415 otherwise): from its declared type and name, and
 * its first bytes checked against the type's magic number. The size limit (413) applies while it streams.
 */
async function storeChecked(ctx: RegionContext, storageKey: string, incoming: IncomingFile) {
  const filename = safeFilename(incoming.filename);
  const { head, stream } = await peek(incoming.stream, 16);
  const contentType = acceptedContentType(incoming.mimeType, filename, head);
  if (!contentType) {
    await stream.cancel().catch(() => {});
    throw new ApiError(
      415,
      'unsupported_media_type',
      `This type of file is not accepted; accepted: ${acceptedTypes.join(', ')}`,
    );
  }
  const { size } = await ctx.storage.put(storageKey, stream, contentType);
  return { key: storageKey, filename, contentType, size };
}

/**
 * Receives the multipart upload as a stream and stores its file as it arrives (never held whole), then writes its
 * row with the audit row and `attachment.created` event in one transaction that re-checks the record (locked
 * against deletion). Storage and database cannot share a transaction, so the file goes first and is deleted again
 * if the transaction fails, or if an idempotent retry turns out to be a replay.
 */
export async function uploadAttachment(
  ctx: RegionContext,
  actor: Actor,
  recordType: AttachableRecord,
  recordId: string,
  upload: { body: ReadableStream<Uint8Array>; contentType: string },
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  const { organizationId } = principal;
  assertCan(principal, permissionFor(recordType, 'update'));
  // The record is checked before the body is read: a file for a record the caller may not change is not stored.
  await ctx.shards.withTenant(organizationId, async (tx) => {
    assertMayChange(principal, recordType, await findVisibleRecord(tx, principal, recordType, recordId));
  });
  const id = newId();
  const { file } = await receiveUpload(upload.body, {
    contentType: upload.contentType,
    maxFileBytes: ctx.uploadLimits.attachmentBytes,
    store: (incoming) => storeChecked(ctx, storageKeys.attachment(organizationId, id), incoming),
    discard: (stored) => discard(ctx, stored.key),
  });
  const { key: storageKey, filename, contentType, size } = file.stored;
  const digest = idempotencyKey ? file.sha256 : null;
  try {
    const result = await ctx.shards.withTenant(organizationId, async (tx) => {
      if (idempotencyKey) {
        const request = {
          op: 'uploadAttachment',
          recordType,
          recordId,
          filename,
          contentType,
          size,
          digest,
          actor: actorId(principal),
        };
        const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, request);
        if (prior) return { ...prior, replayed: true };
      }
      assertMayChange(principal, recordType, await findVisibleRecord(tx, principal, recordType, recordId, true));
      const [row] = await tx
        .insert(attachments)
        .values({
          organizationId,
          id,
          recordType,
          recordId,
          filename,
          contentType,
          sizeBytes: size,
          storageKey,
          uploadedBy: actorId(principal),
        })
        .returning();
      const attachment = attachmentView(row!);
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'attachment.created',
        target: { type: 'attachment', id },
        changes: { recordType, recordId, filename, contentType, sizeBytes: size },
        event: { type: 'attachment.created', payload: attachment },
      });
      const response = { status: 201, body: attachment };
      if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
      return { ...response, replayed: false };
    });
    if (result.replayed) await discard(ctx, storageKey);
    return result;
  } catch (error) {
    await discard(ctx, storageKey);
    throw error;
  }
}

/** Removes a file no row refers to; if even that fails, the log names it for a clean-up. */
async function discard(ctx: RegionContext, key: string) {
  await ctx.storage.delete(key).catch((err) => ctx.log.error({ err, key }, 'could not delete an orphaned file'));
}
