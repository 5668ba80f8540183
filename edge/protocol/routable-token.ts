import { randomHex, sha256Hex } from './encoding.ts';
import { parseSamlSpPublicId } from './saml-sp-id.ts';

/**
 * Secrets a client presents without an access token (API keys, refresh tokens, invitations, inbound webhook
 * URLs, password-reset and sign-up confirmation links, the second step of an MFA sign-in, an SSO sign-in's state)
 * name the region and organization they belong to (for a sign-up link, the organization it will create), so the
 * edge can route them and the region can find the right shard.
 * The secret part is 192 random bits; only its SHA-256 is stored.
 */
export type TokenKind = 'ck' | 'rt' | 'inv' | 'inb' | 'prt' | 'sgn' | 'mfa' | 'sso';

const pattern = /^(ck|rt|inv|inb|prt|sgn|mfa|sso)_([a-z][a-z0-9-]{1,15})_([0-9a-f]{32})([0-9a-f]{48})$/;

export function makeRoutableToken(kind: TokenKind, region: string, organizationId: string) {
  const org = organizationId.replace(/-/g, '');
  const token = `${kind}_${region}_${org}${randomHex(24)}`;
  return { token, prefix: token.slice(0, kind.length + region.length + 10) };
}

export function parseRoutableToken(token: string): { kind: TokenKind; region: string; organizationId: string } | null {
  const match = pattern.exec(token);
  if (!match) return null;
  const hex = match[3]!;
  const organizationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { kind: match[1] as TokenKind, region: match[2]!, organizationId };
}

export const hashToken = (token: string): Promise<string> => sha256Hex(token);

/**
 * The region a token the edge routes without credentials names: an API key, a refresh token or an invitation
 * (above), the token of an unsubscribe link, `uns_<region>_…`, which its region signs and checks
 * (regions/emails/unsubscribe-token.ts), or a SAML connection's public id (saml-sp-id.ts); null for anything else.
 */
export function regionOfToken(token: string): string | null {
  return (
    parseRoutableToken(token)?.region ??
    /^uns_([a-z][a-z0-9-]{1,15})_/.exec(token)?.[1] ??
    parseSamlSpPublicId(token)?.region ??
    null
  );
}
