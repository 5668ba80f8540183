import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { SsoDomain, SsoDomainInput } from '../../schemas/sso.ts';
import { ssoDomainExample } from './examples.ts';

export const addSsoDomainRoute = createRoute({
  method: 'post',
  path: '/api/v1/sso/domains',
  operationId: 'addSsoDomain',
  tags: ['sso'],
  summary: 'Claim an email domain (to be verified)',
  description:
    'The answer carries the verification token and, for `dns_txt`, the TXT record to publish. Verify with POST /api/v1/sso/domains/{id}/verify. Admins only (`settings:manage`); audited as `sso.domain_added`.',
  security: [{ bearerAuth: [] }],
  request: {
    body: jsonBody(SsoDomainInput, 'The domain', { domain: 'analytical.example', verificationMethod: 'dns_txt' }),
  },
  responses: {
    201: jsonResponse(SsoDomain, 'Added, not verified yet', { ...ssoDomainExample, verified: false, verifiedAt: null }),
    ...pick(400, 401, 403, 413, 415, 429),
    409: failureResponse(
      'Already listed, or verified by another organization',
      'domain_taken',
      'Another organization has already verified this domain',
    ),
  },
});
