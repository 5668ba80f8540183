import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const deleteFormRoute = createRoute({
  method: 'delete',
  path: '/api/v1/forms/{id}',
  operationId: 'deleteForm',
  tags: ['forms'],
  summary: 'Delete a lead-capture form (admins)',
  description:
    'Needs forms:manage. Pages that embed it stop showing it (its script and submissions answer 404); the leads it made and the record of each submission stay.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...pick(400, 401, 403, 404, 429) },
});
