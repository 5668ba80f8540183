import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';

/** The records a file can hang off, as the attachment names them, and the path segment of each. */
export const attachableRecords = {
  lead: 'leads',
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  activity: 'activities',
} as const;

export type AttachableRecord = keyof typeof attachableRecords;

export const AttachableRecordSchema = z
  .enum(Object.keys(attachableRecords) as [AttachableRecord, ...AttachableRecord[]])
  .openapi('AttachableRecord');

/** A file part of a multipart/form-data body. */
export const FilePart = z
  .instanceof(File, { error: 'Attach one file as the multipart part named "file"' })
  .openapi({ type: 'string', format: 'binary', description: 'The file, as a multipart/form-data part' });

export const AttachmentUpload = z.object({ file: FilePart }).openapi('AttachmentUpload', {
  description:
    'One part named `file`. Its filename and Content-Type are kept: PDF, PNG/JPEG/GIF/WebP images, plain text, CSV and Word/Excel/PowerPoint/OpenDocument files are accepted.',
});

export const AttachmentSchema = z
  .object({
    id: z.uuid(),
    recordType: AttachableRecordSchema,
    recordId: z.uuid(),
    filename: z.string().openapi({ example: 'signed-order.pdf' }),
    contentType: z.string().openapi({ example: 'application/pdf' }),
    sizeBytes: z.number().int().min(0),
    uploadedBy: z.uuid().nullable().openapi({ description: 'The user or API key that uploaded it' }),
    createdAt: Timestamp,
    downloadUrl: z.string().openapi({ description: 'Where to GET the file' }),
  })
  .openapi('Attachment');

export const AttachmentList = z
  .object({
    data: z.array(AttachmentSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('AttachmentList');

export const RecordIdParam = z.object({
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path', description: 'The id of the record the files hang off' },
    example: '0193a5f9-8c9d-7e0f-9a1b-3c4d5e6f7a8b',
  }),
});

export const AttachmentIdParam = z.object({
  attachmentId: z.uuid().openapi({
    param: { name: 'attachmentId', in: 'path', description: 'The attachment id (a UUID)' },
    example: '0193a5fd-2a3b-7c4d-8e5f-6a7b8c9d0e1f',
  }),
});

export const AttachmentListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query', description: 'Page size, 1–200' }, example: 50 }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query', description: 'Opaque cursor: `nextCursor` from the previous page' },
      example: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWZkLTJhM2ItN2M0ZC04ZTVmLTZhN2I4YzlkMGUxZiJ9',
    }),
});

// Examples, typed by the schemas they illustrate so a contract change cannot leave one stale.
const attachmentId = '0193a5fd-2a3b-7c4d-8e5f-6a7b8c9d0e1f';

export const attachmentUploadExample = { file: '%PDF-1.7 … (the file’s bytes)' };

export const attachmentExample: z.output<typeof AttachmentSchema> = {
  id: attachmentId,
  recordType: 'deal',
  recordId: '0193a5f9-8c9d-7e0f-9a1b-3c4d5e6f7a8b',
  filename: 'signed-order.pdf',
  contentType: 'application/pdf',
  sizeBytes: 48213,
  uploadedBy: '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a',
  createdAt: '2026-11-27T10:15:00.000Z',
  downloadUrl: `/api/v1/attachments/${attachmentId}`,
};

export const attachmentListExample: z.output<typeof AttachmentList> = {
  data: [attachmentExample],
  nextCursor: null,
};
