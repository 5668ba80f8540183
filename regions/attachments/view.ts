import type { attachments } from '../../db/schema/index.ts';

type AttachmentRow = typeof attachments.$inferSelect;

export const attachmentView = (a: AttachmentRow) => ({
  id: a.id,
  recordType: a.recordType,
  recordId: a.recordId,
  filename: a.filename,
  contentType: a.contentType,
  sizeBytes: a.sizeBytes,
  uploadedBy: a.uploadedBy,
  createdAt: a.createdAt.toISOString(),
  downloadUrl: `/api/v1/attachments/${a.id}`,
});

/** Attachments never change once stored, so every one is at its first and only version. */
export const ATTACHMENT_ETAG = '"v1"';
