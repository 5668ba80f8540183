import type { OpenAPIHono } from '@hono/zod-openapi';
import { deleteAttachmentRoute } from '../../openapi/routes/attachments/delete.ts';
import { downloadAttachmentRoute } from '../../openapi/routes/attachments/download.ts';
import { listAttachmentsRoutes } from '../../openapi/routes/attachments/list.ts';
import { uploadAttachmentRoutes } from '../../openapi/routes/attachments/upload.ts';
import type { AttachableRecord } from '../../openapi/schemas/attachments.ts';
import type { RegionContext } from '../context.ts';
import { uploadBodyOf } from '../middleware.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { created } from '../support/created.ts';
import { deleteAttachment } from './delete.ts';
import { downloadAttachment } from './download.ts';
import { listAttachments } from './list.ts';
import { uploadAttachment } from './upload.ts';
import { ATTACHMENT_ETAG } from './view.ts';

/**
 * An upload route without its form body: the contract's form validator would read the whole body into memory to
 * parse it; the handler parses it as a stream instead (uploadAttachment).
 */
const streamed = <R extends (typeof uploadAttachmentRoutes)[AttachableRecord]>(route: R) => ({
  ...route,
  request: { params: route.request.params, headers: route.request.headers },
});

export function registerAttachmentRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  for (const type of Object.keys(uploadAttachmentRoutes) as AttachableRecord[]) {
    app.openapi(streamed(uploadAttachmentRoutes[type]), async (c) => {
      const key = c.req.valid('header')['idempotency-key'];
      const upload = { body: await uploadBodyOf(c), contentType: c.req.header('content-type') ?? '' };
      const result = await uploadAttachment(ctx, actorOf(c), type, c.req.valid('param').id, upload, key);
      const attachment = result.body as { downloadUrl: string };
      c.header('ETag', ATTACHMENT_ETAG);
      return created(c, result, attachment.downloadUrl);
    });
    app.openapi(listAttachmentsRoutes[type], async (c) =>
      c.json(await listAttachments(ctx, actorOf(c), type, c.req.valid('param').id, c.req.valid('query')), 200),
    );
  }
  app.openapi(downloadAttachmentRoute, async (c) => {
    const { attachmentId } = c.req.valid('param');
    // A stream of the stored bytes, not JSON: the route's typed responses cannot describe it.
    return (await downloadAttachment(ctx, actorOf(c), attachmentId, c.req.header('if-none-match'))) as never;
  });
  app.openapi(deleteAttachmentRoute, async (c) => {
    await deleteAttachment(ctx, actorOf(c), c.req.valid('param').attachmentId, c.req.valid('header')['if-match']);
    return c.body(null, 204);
  });
}
