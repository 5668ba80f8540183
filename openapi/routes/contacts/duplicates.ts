import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { DuplicateList, duplicateListExample } from '../../schemas/duplicates.ts';

export const listContactDuplicatesRoute = createRoute({
  method: 'get',
  path: '/api/v1/contacts/{id}/duplicates',
  operationId: 'listContactDuplicates',
  tags: ['contacts'],
  summary: "A contact's likely duplicates among leads and contacts",
  description:
    "Leads and contacts of the organization that are probably the same person: the same email (ignoring case and spaces), the same phone number (digits only, a leading + kept), or a similar name at a similar company (trigram similarity of at least 0.45 for both; a contact's company is its company's name). Each carries its reasons and a score, best first, at most 20. Only records the caller may see are considered (a sales rep: their own); the lead the contact was converted from is not a duplicate of it.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: jsonResponse(DuplicateList, 'Likely duplicates, best first', duplicateListExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
