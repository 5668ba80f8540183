import {
  hashToken,
  makeRoutableToken,
  parseRoutableToken,
  type TokenKind,
} from '../../edge/protocol/routable-token.ts';

/**
 * The secrets a client carries between two steps of a sign-in (an MFA challenge, an SSO sign-in's state): a
 * routable `<kind>_<region>_…` token, so any edge sends the second step to this region and shard, of which only the
 * SHA-256 is stored, with the moment it expires.
 */
export async function issueSingleUseToken(kind: TokenKind, region: string, organizationId: string, seconds: number) {
  const { token } = makeRoutableToken(kind, region, organizationId);
  return { token, tokenHash: await hashToken(token), expiresAt: new Date(Date.now() + seconds * 1000) };
}

/**
 * The organization a presented token names and the hash its row is found by; null when it is not a `kind` token of
 * this region (the caller answers that as it answers an unknown one).
 */
export async function readSingleUseToken(kind: TokenKind, region: string, token: string) {
  const parsed = parseRoutableToken(token);
  if (parsed?.kind !== kind || parsed.region !== region) return null;
  return { organizationId: parsed.organizationId, tokenHash: await hashToken(token) };
}
