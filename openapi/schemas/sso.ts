import { z } from '@hono/zod-openapi';
import { RoleSchema, Timestamp } from './common.ts';
import { routableExample } from './examples.ts';

const HttpsUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .openapi({ description: 'An http(s) URL', example: 'https://login.example.com' });

const Pem = z
  .string()
  .max(20_000)
  .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, 'A PEM certificate (BEGIN CERTIFICATE)')
  .openapi({
    description: "The IdP's signing certificate, PEM",
    example: '-----BEGIN CERTIFICATE-----\nMIIC…\n-----END CERTIFICATE-----',
  });

const common = {
  name: z.string().trim().min(1).max(120).openapi({ example: 'Okta' }),
  enabled: z.boolean().optional(),
  defaultRole: RoleSchema.optional().openapi({ description: 'Role of users created at their first sign-in' }),
  jitProvisioning: z
    .boolean()
    .optional()
    .openapi({ description: 'Create a user at their first SSO sign-in (else only existing members may sign in)' }),
};

export const OidcSettings = z.strictObject({
  issuer: HttpsUrl.openapi({ description: "The provider's issuer; its discovery document is read from there" }),
  clientId: z.string().min(1).max(500).openapi({ example: 'crm-prod' }),
  clientSecret: z.string().min(1).max(2000).openapi({ description: 'Sealed at rest; never returned' }),
});

export const SamlSettings = z.strictObject({
  idpEntityId: z.string().min(1).max(2000).openapi({ example: 'https://idp.example.com/metadata' }),
  idpSsoUrl: HttpsUrl.openapi({ description: 'Where the AuthnRequest is sent (HTTP-Redirect binding)' }),
  idpCertificate: Pem,
});

export const SsoConnectionInput = z
  .discriminatedUnion('protocol', [
    z.strictObject({ protocol: z.literal('oidc'), ...common, oidc: OidcSettings }),
    z.strictObject({ protocol: z.literal('saml'), ...common, saml: SamlSettings }),
  ])
  .openapi('SsoConnectionInput');

export const SsoConnectionPatch = z
  .strictObject({
    name: common.name.optional(),
    enabled: common.enabled,
    defaultRole: common.defaultRole,
    jitProvisioning: common.jitProvisioning,
    oidc: OidcSettings.partial().optional(),
    saml: SamlSettings.partial().optional(),
  })
  .openapi('SsoConnectionPatch');

export const SsoConnection = z
  .object({
    id: z.uuid(),
    protocol: z.enum(['oidc', 'saml']),
    name: z.string(),
    enabled: z.boolean(),
    defaultRole: RoleSchema,
    jitProvisioning: z.boolean(),
    oidc: z
      .object({
        issuer: z.string(),
        clientId: z.string(),
        clientSecretSet: z.boolean(),
        redirectUri: z.string().openapi({ description: 'Register this redirect URI with the provider' }),
      })
      .nullable(),
    saml: z
      .object({
        idpEntityId: z.string(),
        idpSsoUrl: z.string(),
        idpCertificateSet: z.boolean(),
        spEntityId: z.string().openapi({ description: 'Our entity id (the audience the IdP must name)' }),
        acsUrl: z.string().openapi({ description: 'Assertion consumer service URL (HTTP-POST)' }),
        metadataUrl: z.string(),
      })
      .nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('SsoConnection');

export const SsoConnectionList = z.object({ data: z.array(SsoConnection) }).openapi('SsoConnectionList');

export const SsoDomainInput = z
  .strictObject({
    domain: z.string().min(3).max(253).openapi({ example: 'analytical.example' }),
    verificationMethod: z
      .enum(['dns_txt', 'admin'])
      .openapi({ description: 'A DNS TXT record carrying the token, or the admin confirming it' }),
    connectionId: z.uuid().nullable().optional().openapi({ description: 'The connection sign-ins by this domain use' }),
  })
  .openapi('SsoDomainInput');

export const SsoDomainPatch = z
  .strictObject({
    requireSso: z.boolean().optional().openapi({ description: "Refuse password sign-in to the domain's users" }),
    connectionId: z.uuid().nullable().optional(),
  })
  .openapi('SsoDomainPatch');

export const SsoDomainVerifyInput = z
  .strictObject({
    confirm: z
      .boolean()
      .optional()
      .openapi({ description: 'For `admin` verification: the admin confirms the organization owns the domain' }),
  })
  .openapi('SsoDomainVerifyInput');

export const SsoDomain = z
  .object({
    id: z.uuid(),
    domain: z.string(),
    verificationMethod: z.enum(['dns_txt', 'admin']),
    verificationToken: z.string(),
    dnsRecord: z.object({ type: z.literal('TXT'), name: z.string(), value: z.string() }),
    verified: z.boolean(),
    verifiedAt: Timestamp.nullable(),
    requireSso: z.boolean(),
    connectionId: z.uuid().nullable(),
    createdAt: Timestamp,
  })
  .openapi('SsoDomain');

export const SsoDomainList = z.object({ data: z.array(SsoDomain) }).openapi('SsoDomainList');

export const SsoStartInput = z
  .strictObject({ email: z.email().max(254).openapi({ example: 'ada@analytical.example' }) })
  .openapi('SsoStartInput');

export const SsoStart = z
  .object({
    redirectUrl: z.string().openapi({ description: "Send the browser here: the identity provider's sign-in" }),
    protocol: z.enum(['oidc', 'saml']),
    state: z
      .string()
      .openapi({ description: 'The sign-in, as the IdP will hand it back', example: routableExample('sso') }),
    browserBinding: z.string().openapi({
      description:
        'Keep it in the browser that goes to the identity provider (the web app: an httpOnly cookie) and send it with the second step; never hand it to the provider',
      example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    }),
    expiresIn: z.number().int().openapi({ example: 600 }),
  })
  .openapi('SsoStart');

const BrowserBinding = z.string().max(200).optional().openapi({
  description:
    "The `browserBinding` the start answered, kept by the browser that started (the web app keeps it in an httpOnly cookie). Without it, or with another one, the sign-in is refused with 400 `sso_state_invalid` and the state stays unspent: nobody can finish their own sign-in in someone else's browser.",
  example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
});

export const OidcCallbackInput = z
  .strictObject({
    state: z
      .string()
      .min(1)
      .max(200)
      .openapi({ example: routableExample('sso') }),
    browserBinding: BrowserBinding,
    code: z.string().min(1).max(4000).optional(),
    iss: z.string().max(2000).optional(),
    error: z.string().max(200).optional(),
    errorDescription: z.string().max(2000).optional(),
  })
  .openapi('OidcCallbackInput');

export const SamlAcsInput = z
  .strictObject({
    samlResponse: z.string().min(1).max(500_000).openapi({ description: 'The base64 SAMLResponse form field' }),
    relayState: z
      .string()
      .min(1)
      .max(200)
      .openapi({ example: routableExample('sso') }),
    browserBinding: BrowserBinding,
  })
  .openapi('SamlAcsInput');
