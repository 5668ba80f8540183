import { createRoute } from '@hono/zod-openapi';
import {
  type AttachableRecord,
  AttachmentSchema,
  AttachmentUpload,
  attachableRecords,
  attachmentExample,
  attachmentUploadExample,
  RecordIdParam,
} from '../../schemas/attachments.ts';
import { failureResponse, pick } from '../../schemas/common.ts';
import { idempotencyHeaders } from '../responses.ts';
import { attachmentTypesText, uploadRefusals } from './responses.ts';

const titled = (type: string) => type[0]!.toUpperCase() + type.slice(1);

/** `POST /api/v1/<records>/{id}/attachments`, one route per kind of record. */
const uploadRoute = (type: AttachableRecord) =>
  createRoute({
    method: 'post',
    path: `/api/v1/${attachableRecords[type]}/{id}/attachments`,
    operationId: `upload${titled(type)}Attachment`,
    tags: ['attachments'],
    summary: `Attach a file to a ${type}`,
    description: `Send multipart/form-data with one part named \`file\` (${attachmentTypesText}; at most ATTACHMENT_MAX_BYTES, 10 MiB by default). The ${type} must exist and be visible to the caller (404 otherwise), and the caller must be allowed to change it. With an Idempotency-Key, a retried upload returns the first answer instead of storing the file twice.`,
    security: [{ bearerAuth: [] }],
    request: {
      params: RecordIdParam,
      headers: idempotencyHeaders,
      body: {
        required: true,
        description: 'The file',
        content: { 'multipart/form-data': { schema: AttachmentUpload, example: attachmentUploadExample } },
      },
    },
    responses: {
      201: {
        description: 'Stored',
        headers: {
          Location: {
            description: 'Where to download the file',
            schema: { type: 'string' as const, example: attachmentExample.downloadUrl },
          },
        },
        content: { 'application/json': { schema: AttachmentSchema, example: attachmentExample } },
      },
      ...pick(400, 401, 403, 404, 429),
      ...uploadRefusals('file', attachmentTypesText),
      422: failureResponse(
        'The Idempotency-Key was used before with another upload',
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request',
      ),
    },
  });

export const uploadAttachmentRoutes = {
  lead: uploadRoute('lead'),
  contact: uploadRoute('contact'),
  company: uploadRoute('company'),
  deal: uploadRoute('deal'),
  activity: uploadRoute('activity'),
};
