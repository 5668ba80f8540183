import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { CustomFieldList, CustomFieldListQuery, customFieldListExample } from '../../schemas/custom-fields.ts';

export const listCustomFieldsRoute = createRoute({
  method: 'get',
  path: '/api/v1/custom-fields',
  operationId: 'listCustomFields',
  tags: ['custom-fields'],
  summary: "The organization's custom field definitions",
  description:
    'Every member may read them, ordered by kind of record, position and key. Filter records by a custom field with `cf.<key>=<value>` on the lead, contact, company and deal lists.',
  security: [{ bearerAuth: [] }],
  request: { query: CustomFieldListQuery },
  responses: {
    200: jsonResponse(CustomFieldList, 'The definitions', customFieldListExample),
    ...pick(400, 401, 403, 429),
  },
});
