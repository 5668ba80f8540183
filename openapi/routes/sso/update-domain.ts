import { createRoute } from '@hono/zod-openapi';
import { failureResponse, IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { SsoDomain, SsoDomainPatch } from '../../schemas/sso.ts';
import { ssoDomainExample } from './examples.ts';

export const updateSsoDomainRoute = createRoute({
  method: 'patch',
  path: '/api/v1/sso/domains/{id}',
  operationId: 'updateSsoDomain',
  tags: ['sso'],
  summary: 'Require SSO for a verified domain, or pick its connection',
  description:
    'With `requireSso`, password sign-in is refused (403 `sso_required`) for every address of the domain, so its users sign in through the identity provider. Admins only (`settings:manage`); audited as `sso.domain_updated`.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(SsoDomainPatch, 'The changes', { requireSso: true }) },
  responses: {
    200: jsonResponse(SsoDomain, 'The domain now', { ...ssoDomainExample, requireSso: true }),
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: failureResponse(
      'The domain is not verified yet',
      'domain_not_verified',
      'Verify the domain before requiring SSO for it',
    ),
  },
});
