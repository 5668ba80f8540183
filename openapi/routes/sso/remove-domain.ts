import { createRoute } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';
import { noContent } from '../responses.ts';

export const removeSsoDomainRoute = createRoute({
  method: 'delete',
  path: '/api/v1/sso/domains/{id}',
  operationId: 'removeSsoDomain',
  tags: ['sso'],
  summary: 'Give up a domain',
  description: 'Its SSO requirement ends with it. Admins only (`settings:manage`); audited as `sso.domain_removed`.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Removed'), ...pick(400, 401, 403, 404, 429) },
});
