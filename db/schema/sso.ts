import { boolean, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

/**
 * An organization's single sign-on connection to its identity provider: OpenID Connect (issuer, client id, the
 * client secret sealed with the region's secret box, context `sso-oidc:<id>`) or SAML 2.0 (the IdP's entity id,
 * sign-on URL and signing certificate, the certificate sealed too, context `sso-saml:<id>`). Users signing in
 * through it for the first time are created with `defaultRole` when `jitProvisioning` is on.
 */
export const ssoConnections = pgTable(
  'sso_connections',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    protocol: text('protocol', { enum: ['oidc', 'saml'] }).notNull(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    defaultRole: text('default_role', { enum: ['admin', 'manager', 'sales_rep', 'viewer'] })
      .notNull()
      .default('sales_rep'),
    jitProvisioning: boolean('jit_provisioning').notNull().default(true),
    oidcIssuer: text('oidc_issuer'),
    oidcClientId: text('oidc_client_id'),
    oidcClientSecretSealed: text('oidc_client_secret_sealed'),
    samlIdpEntityId: text('saml_idp_entity_id'),
    samlIdpSsoUrl: text('saml_idp_sso_url'),
    samlIdpCertificateSealed: text('saml_idp_certificate_sealed'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);

/**
 * An email domain the organization claims. It counts only once verified, by a DNS TXT record carrying
 * `verificationToken` or by an admin's confirmation; a verified domain is also registered in the global directory
 * (one organization per domain), so a sign-in by email finds the organization and region. `requireSso` refuses
 * password sign-in to the domain's users.
 */
export const ssoDomains = pgTable(
  'sso_domains',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    domain: text('domain').notNull(),
    verificationMethod: text('verification_method', { enum: ['dns_txt', 'admin'] }).notNull(),
    verificationToken: text('verification_token').notNull(),
    verifiedAt: at('verified_at'),
    requireSso: boolean('require_sso').notNull().default(false),
    connectionId: uuid('connection_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('sso_domains_org_domain').on(t.organizationId, t.domain),
  ],
);

/**
 * One SSO sign-in in flight, from the redirect to the identity provider until its answer: named by a routable
 * `sso_<region>_…` token (only its SHA-256 kept) sent as the OIDC `state` or SAML `RelayState`, good for a few
 * minutes and once, and only in the browser that started it (its binding cookie). OIDC keeps its nonce and PKCE
 * verifier (sealed); SAML the AuthnRequest id it must answer.
 */
export const ssoLoginStates = pgTable(
  'sso_login_states',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    stateHash: text('state_hash').notNull(),
    /** SHA-256 of the random value in the starting browser's cookie: the answer must come back in that browser. */
    browserBindingHash: text('browser_binding_hash'),
    nonce: text('nonce'),
    codeVerifierSealed: text('code_verifier_sealed'),
    requestId: text('request_id'),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('sso_login_states_org_hash').on(t.organizationId, t.stateHash),
  ],
);

/** SAML assertions already taken, kept until they expire, so a captured assertion cannot be replayed. */
export const ssoSeenAssertions = pgTable(
  'sso_seen_assertions',
  {
    organizationId: organizationId(),
    connectionId: uuid('connection_id').notNull(),
    assertionId: text('assertion_id').notNull(),
    expiresAt: at('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.connectionId, t.assertionId] }),
    index('sso_seen_assertions_expiry').on(t.organizationId, t.expiresAt),
  ],
);
