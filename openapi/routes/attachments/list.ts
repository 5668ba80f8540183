import { createRoute } from '@hono/zod-openapi';
import {
  type AttachableRecord,
  AttachmentList,
  AttachmentListQuery,
  attachableRecords,
  attachmentListExample,
  RecordIdParam,
} from '../../schemas/attachments.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';

const titled = (type: string) => type[0]!.toUpperCase() + type.slice(1);

/** `GET /api/v1/<records>/{id}/attachments`, one route per kind of record. */
const listRoute = (type: AttachableRecord) =>
  createRoute({
    method: 'get',
    path: `/api/v1/${attachableRecords[type]}/{id}/attachments`,
    operationId: `list${titled(type)}Attachments`,
    tags: ['attachments'],
    summary: `List the files attached to a ${type}`,
    description: `Newest first, with keyset pagination. A ${type} the caller may not see (another organization's, or a colleague's for a sales rep) answers 404.`,
    security: [{ bearerAuth: [] }],
    request: { params: RecordIdParam, query: AttachmentListQuery },
    responses: {
      200: jsonResponse(AttachmentList, 'A page of attachments', attachmentListExample),
      ...pick(400, 401, 403, 404, 429),
    },
  });

export const listAttachmentsRoutes = {
  lead: listRoute('lead'),
  contact: listRoute('contact'),
  company: listRoute('company'),
  deal: listRoute('deal'),
  activity: listRoute('activity'),
};
