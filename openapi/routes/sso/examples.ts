import type { z } from '@hono/zod-openapi';
import { routableExample } from '../../schemas/examples.ts';
import type { SsoConnection, SsoDomain, SsoStart } from '../../schemas/sso.ts';

const connectionId = '0193a5f6-1a2b-7c3d-8e4f-5a6b7c8d9e0f';

export const ssoConnectionExample: z.output<typeof SsoConnection> = {
  id: connectionId,
  protocol: 'oidc',
  name: 'Okta',
  enabled: true,
  defaultRole: 'sales_rep',
  jitProvisioning: true,
  oidc: {
    issuer: 'https://analytical.okta.example',
    clientId: 'crm-prod',
    clientSecretSet: true,
    redirectUri: 'https://crm.example.com/sso/callback',
  },
  saml: null,
  createdAt: '2026-11-25T15:06:50.000Z',
  updatedAt: '2026-11-25T15:06:50.000Z',
};

export const ssoDomainExample: z.output<typeof SsoDomain> = {
  id: '0193a5f6-2b3c-7d4e-8f5a-6b7c8d9e0f1a',
  domain: 'analytical.example',
  verificationMethod: 'dns_txt',
  verificationToken: '5f2b9c1e7d3a4b6c8e0f1a2b3c4d5e6f',
  dnsRecord: {
    type: 'TXT',
    name: '_crm-verification.analytical.example',
    value: 'crm-verification=5f2b9c1e7d3a4b6c8e0f1a2b3c4d5e6f',
  },
  verified: true,
  verifiedAt: '2026-11-25T15:10:02.000Z',
  requireSso: false,
  connectionId,
  createdAt: '2026-11-25T15:06:50.000Z',
};

export const ssoStartExample: z.output<typeof SsoStart> = {
  redirectUrl: 'https://analytical.okta.example/oauth2/v1/authorize?client_id=crm-prod&…',
  protocol: 'oidc',
  state: routableExample('sso'),
  browserBinding: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  expiresIn: 600,
};

export { connectionId as ssoConnectionIdExample };
