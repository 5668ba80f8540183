import { home, type PublicOperation } from '../../operation.ts';
import { deleteAttachmentRoute } from './delete.ts';
import { downloadAttachmentRoute } from './download.ts';
import { listAttachmentsRoutes } from './list.ts';
import { uploadAttachmentRoutes } from './upload.ts';

export const attachmentOperations: PublicOperation[] = [
  ...Object.values(uploadAttachmentRoutes).map((route) => ({ route, target: home, upload: 'attachment' as const })),
  ...Object.values(listAttachmentsRoutes).map((route) => ({ route, target: home, cacheable: true })),
  // Files are bytes, which the edge's JSON cache does not keep.
  { route: downloadAttachmentRoute, target: home },
  { route: deleteAttachmentRoute, target: home },
];
