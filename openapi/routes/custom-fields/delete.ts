import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const deleteCustomFieldRoute = createRoute({
  method: 'delete',
  path: '/api/v1/custom-fields/{id}',
  operationId: 'deleteCustomField',
  tags: ['custom-fields'],
  summary: 'Delete a custom field and its values',
  description:
    'Needs settings:manage. In the same transaction every record of that kind loses its value for the field (and gets a new version).',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...pick(400, 401, 403, 404, 429) },
});
