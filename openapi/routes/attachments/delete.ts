import { createRoute } from '@hono/zod-openapi';
import { AttachmentIdParam } from '../../schemas/attachments.ts';
import { failureResponse, pick } from '../../schemas/common.ts';
import { ifMatchHeaders, noContent } from '../responses.ts';

export const deleteAttachmentRoute = createRoute({
  method: 'delete',
  path: '/api/v1/attachments/{attachmentId}',
  operationId: 'deleteAttachment',
  tags: ['attachments'],
  summary: 'Remove an attached file',
  description:
    'Needs the right to change the record the file hangs off. Attachments never change, so their ETag is always `"v1"`; If-Match is accepted for symmetry with every other delete.',
  security: [{ bearerAuth: [] }],
  request: { params: AttachmentIdParam, headers: ifMatchHeaders },
  responses: {
    204: noContent('Removed'),
    ...pick(400, 401, 403, 404, 429),
    412: failureResponse(
      'If-Match does not match',
      'precondition_failed',
      'The attachment changed since you read it; read it again and retry',
    ),
  },
});
