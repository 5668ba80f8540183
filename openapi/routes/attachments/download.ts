import { createRoute, z } from '@hono/zod-openapi';
import { AttachmentIdParam } from '../../schemas/attachments.ts';
import { pick } from '../../schemas/common.ts';
import { etagHeader } from '../responses.ts';

export const downloadAttachmentRoute = createRoute({
  method: 'get',
  path: '/api/v1/attachments/{attachmentId}',
  operationId: 'downloadAttachment',
  tags: ['attachments'],
  summary: 'Download an attached file',
  description:
    'The exact bytes uploaded, with the Content-Type they were uploaded with, `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`, so a browser saves the file instead of rendering it. Answers 404 when the record it hangs off is not visible to the caller.',
  security: [{ bearerAuth: [] }],
  request: { params: AttachmentIdParam },
  responses: {
    200: {
      description: 'The file',
      headers: {
        ...etagHeader,
        'Content-Disposition': {
          description: 'Always `attachment`, with the original filename',
          schema: { type: 'string' as const, example: `attachment; filename="signed-order.pdf"` },
        },
      },
      content: {
        'application/octet-stream': {
          schema: z.string().openapi({ format: 'binary' }),
          example: '%PDF-1.7 … (the file’s bytes)',
        },
      },
    },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...pick(400, 401, 403, 404, 429),
  },
});
