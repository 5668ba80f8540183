import { createRoute } from '@hono/zod-openapi';
import { errorResponse, IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import { errorExample } from '../../schemas/examples.ts';
import { SsoDomain, SsoDomainVerifyInput } from '../../schemas/sso.ts';
import { ssoDomainExample } from './examples.ts';

export const verifySsoDomainRoute = createRoute({
  method: 'post',
  path: '/api/v1/sso/domains/{id}/verify',
  operationId: 'verifySsoDomain',
  tags: ['sso'],
  summary: 'Verify a domain: by its DNS TXT record, or by the admin confirming it',
  description:
    '`dns_txt`: `_crm-verification.<domain>` must hold `crm-verification=<token>` (409 `domain_not_verified` otherwise; 409 `dns_lookup_failed` when DNS does not answer within seconds, to retry; the servers asked are `SSO_DNS_SERVERS`, else the system resolvers). `admin`: send `"confirm": true`. A verified domain is registered globally, one organization per domain (409 `domain_taken`). Admins only (`settings:manage`); audited as `sso.domain_verified`.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, body: jsonBody(SsoDomainVerifyInput, 'The confirmation (admin method)', {}) },
  responses: {
    200: jsonResponse(SsoDomain, 'Verified', ssoDomainExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: errorResponse('The TXT record is missing, DNS did not answer, or another organization holds the domain', {
      domain_not_verified: {
        summary: 'No TXT record with the token',
        value: errorExample(
          'domain_not_verified',
          'No TXT record _crm-verification.analytical.example with "crm-verification=…" was found',
        ),
      },
      dns_lookup_failed: {
        summary: 'DNS did not answer in time (try again)',
        value: errorExample(
          'dns_lookup_failed',
          'DNS did not answer for _crm-verification.analytical.example (ETIMEOUT); the domain stays unverified, try again in a moment',
        ),
      },
      domain_taken: {
        summary: 'Another organization verified it first',
        value: errorExample('domain_taken', 'Another organization has already verified this domain'),
      },
    }),
  },
});
