import { samlSpPublicId } from '../../edge/protocol/saml-sp-id.ts';

/**
 * The public address of the web app (the edge), where identity providers send users back: `PUBLIC_BASE_URL`,
 * read at each use like the forms' embed snippet (regions/forms/view.ts). Registered with the IdP, so it must not
 * come from the request.
 */
export const publicBaseUrl = () => (process.env.PUBLIC_BASE_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');

/** The OpenID Connect redirect URI: the web app's page that hands `code` and `state` to the API. */
export const oidcRedirectUri = () => `${publicBaseUrl()}/sso/callback`;

/** SAML: our entity id (the audience) per connection, its assertion consumer service and its metadata. */
export const samlSpEntityId = (connectionId: string) => `${publicBaseUrl()}/sso/saml/${connectionId}`;
export const samlAcsUrl = () => `${publicBaseUrl()}/sso/saml/acs`;
/** Public (IdP administrators fetch it without a token), so it names the region and organization: see saml-sp-id.ts. */
export const samlMetadataUrl = (region: string, organizationId: string, connectionId: string) =>
  `${publicBaseUrl()}/api/v1/sso/saml/${samlSpPublicId(region, organizationId, connectionId)}/metadata`;

export const oidcSecretContext = (connectionId: string) => `sso-oidc:${connectionId}`;
export const samlCertificateContext = (connectionId: string) => `sso-saml:${connectionId}`;
export const pkceContext = (stateId: string) => `sso-pkce:${stateId}`;
