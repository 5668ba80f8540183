import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { PersonExportSchema, PersonParams, personExportExample } from '../../schemas/privacy.ts';

export const exportPersonRoute = createRoute({
  method: 'get',
  path: '/api/v1/privacy/people/{type}/{id}/export',
  operationId: 'exportPerson',
  tags: ['privacy'],
  summary: "Export a person's data",
  description:
    'Everything held about one lead or contact (and the contact it became or the lead it came from) as one JSON document, for a data subject access or portability request. Needs data:export; every export is audited as privacy.exported.',
  security: [{ bearerAuth: [] }],
  request: { params: PersonParams },
  responses: {
    200: jsonResponse(PersonExportSchema, "The person's data", personExportExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
