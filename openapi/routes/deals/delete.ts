import { createRoute } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { DealIdParam } from '../../schemas/deals.ts';
import { ifMatchHeaders, noContent } from '../responses.ts';
import { dealPreconditionFailed } from './deal-responses.ts';

export const deleteDealRoute = createRoute({
  method: 'delete',
  path: '/api/v1/deals/{id}',
  operationId: 'deleteDeal',
  tags: ['deals'],
  summary: 'Delete a deal and its stage history (admins, managers)',
  description:
    'Needs deals:delete. Send If-Match with the ETag you last read to be sure you delete the version you saw. The audit log keeps the record.',
  security: [{ bearerAuth: [] }],
  request: { params: DealIdParam, headers: ifMatchHeaders },
  responses: { 204: noContent('Deleted'), ...pick(400, 401, 403, 404, 429), 412: dealPreconditionFailed },
});
