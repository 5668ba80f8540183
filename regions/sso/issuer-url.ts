import { refuseWebhookUrl } from '../../workers/webhooks/address.ts';

/**
 * The region fetches an OIDC issuer's discovery document and token endpoint, so an admin-given issuer is held to
 * the webhooks' SSRF rules: https, no private or loopback address. `SSO_ALLOW_INSECURE_ISSUERS=true` lifts them
 * for local providers (tests, development); read at each use.
 */
export const insecureIssuersAllowed = () => process.env.SSO_ALLOW_INSECURE_ISSUERS === 'true';

export const refuseIssuerUrl = (url: string) => refuseWebhookUrl(url, insecureIssuersAllowed());
