import { notFound } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import { StorageNotFound } from '../storage/port.ts';
import type { Actor } from '../support/actor.ts';
import { findVisibleAttachment } from './access.ts';
import { contentDisposition } from './content-types.ts';
import { ATTACHMENT_ETAG } from './view.ts';

/** The stored bytes as a stream, with the headers that make a browser save them rather than render them. */
export async function downloadAttachment(ctx: RegionContext, { principal }: Actor, id: string, ifNoneMatch?: string) {
  const { attachment } = await ctx.shards.withTenant(principal.organizationId, (tx) =>
    findVisibleAttachment(tx, principal, id),
  );
  const headers = {
    'content-type': attachment.contentType,
    'content-disposition': contentDisposition(attachment.filename),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-cache',
    etag: ATTACHMENT_ETAG,
  };
  if (ifNoneMatch === ATTACHMENT_ETAG) return new Response(null, { status: 304, headers: { etag: ATTACHMENT_ETAG } });
  try {
    const body = await ctx.storage.get(attachment.storageKey);
    return new Response(body, { status: 200, headers: { ...headers, 'content-length': String(attachment.sizeBytes) } });
  } catch (error) {
    if (!(error instanceof StorageNotFound)) throw error;
    // A row whose file is missing is a fault on our side; the client can only be told there is nothing to fetch.
    ctx.log.error({ attachmentId: id, key: attachment.storageKey }, 'attachment file missing from storage');
    throw notFound('Attachment');
  }
}
