import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { SsoDomainList } from '../../schemas/sso.ts';
import { ssoDomainExample } from './examples.ts';

export const listSsoDomainsRoute = createRoute({
  method: 'get',
  path: '/api/v1/sso/domains',
  operationId: 'listSsoDomains',
  tags: ['sso'],
  summary: "The organization's email domains, verified or waiting",
  description: 'Admins only (`settings:manage`).',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(SsoDomainList, 'The domains', { data: [ssoDomainExample] }),
    ...pick(401, 403, 429),
  },
});
