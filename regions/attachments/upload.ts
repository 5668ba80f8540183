import { newId } from '../../db/ids.ts';
import { attachments } from '../../db/schema/index.ts';
import { toHex } from '../../edge/protocol/encoding.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { AttachableRecord } from '../../openapi/schemas/attachments.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { storageKeys } from '../storage/keys.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { acceptedContentType, acceptedTypes, safeFilename } from './content-types.ts';
import { assertMayChange, findVisibleRecord, permissionFor } from './records.ts';
import { attachmentView } from './view.ts';

/** The checks that need only the file: its size against the region's limit (413) and its type (415). */
async function checkFile(ctx: RegionContext, file: File) {
  const limit = ctx.uploadLimits.attachmentBytes;
  if (file.size > limit) throw new ApiError(413, 'payload_too_large', `The file is larger than ${limit} bytes`);
  const filename = safeFilename(file.name);
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const contentType = acceptedContentType(file.type, filename, head);
  if (!contentType) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `This type of file is not accepted; accepted: ${acceptedTypes.join(', ')}`,
    );
  }
  return { filename, contentType };
}

/**
 * Stores the file, then writes its row with the audit row and `attachment.created` event in one transaction that
 * re-checks the record (locked against deletion). Storage and database cannot share a transaction, so the file
 * goes first and is deleted again if the transaction fails, or if an idempotent retry turns out to be a replay.
 */
export async function uploadAttachment(
  ctx: RegionContext,
  actor: Actor,
  recordType: AttachableRecord,
  recordId: string,
  file: File,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  const { organizationId } = principal;
  assertCan(principal, permissionFor(recordType, 'update'));
  const { filename, contentType } = await checkFile(ctx, file);
  await ctx.shards.withTenant(organizationId, async (tx) => {
    assertMayChange(principal, recordType, await findVisibleRecord(tx, principal, recordType, recordId));
  });
  const id = newId();
  const storageKey = storageKeys.attachment(organizationId, id);
  const { size } = await ctx.storage.put(storageKey, file.stream(), contentType);
  const digest = idempotencyKey
    ? toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())))
    : null;
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
