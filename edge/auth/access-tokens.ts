import { createRemoteJWKSet, customFetch, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { ACCESS_AUDIENCE, issuerFor, type Principal, type Role, regionOfKeyId } from '../protocol/principal.ts';

const roles: readonly string[] = ['admin', 'manager', 'sales_rep', 'viewer'];

/**
 * Verifies access tokens against the JWKS of the region named by the token's `kid`. Only ES256 is accepted
 * (so `alg: none` and HMAC confusion fail), issuer and audience must match, and expiry is enforced.
 */
export function createAccessTokenVerifier(regions: Record<string, string>, fetchImpl: typeof fetch) {
  const keySets = new Map(
    Object.entries(regions).map(([name, base]) => [
      name,
      createRemoteJWKSet(new URL('/.well-known/jwks.json', base), {
        cacheMaxAge: 10 * 60_000,
        cooldownDuration: 30_000,
        [customFetch]: (url, init) => fetchImpl(url, init),
      }),
    ]),
  );

  return async function verifyAccessToken(token: string): Promise<Principal | null> {
    let region: string;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'ES256' || typeof header.kid !== 'string') return null;
      region = regionOfKeyId(header.kid);
    } catch {
      return null;
    }
    const keySet = keySets.get(region);
    if (!keySet) return null;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: ['ES256'],
        issuer: issuerFor(region),
        audience: ACCESS_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch {
      return null;
    }
    const { sub, org, role, sid } = payload as JWTPayload & Record<string, unknown>;
    if (payload.region !== region || typeof sub !== 'string' || typeof org !== 'string' || typeof sid !== 'string') {
      return null;
    }
    if (typeof role !== 'string' || !roles.includes(role)) return null;
    return { type: 'user', organizationId: org, region, userId: sub, role: role as Role, sessionId: sid };
  };
}
