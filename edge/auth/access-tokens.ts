import { createRemoteJWKSet, customFetch, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import { ApiError } from '../../openapi/errors.ts';
import { ACCESS_AUDIENCE, issuerFor, type Principal, type Role, regionOfKeyId } from '../protocol/principal.ts';

const roles: readonly string[] = ['admin', 'manager', 'sales_rep', 'viewer'];

/** The region's key set could not be fetched: refused, reset, or answered with a server error. */
class KeySetUnreachable extends Error {}

/**
 * Whether verification failed for want of the region's keys rather than because of the token: then the caller is
 * not at fault and must not be told to sign in again. Every verdict on a token itself is a more specific JOSEError.
 */
const keysUnreachable = (error: unknown) =>
  error instanceof KeySetUnreachable ||
  error instanceof errors.JWKSTimeout ||
  (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC');

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
        [customFetch]: (url, init) =>
          fetchImpl(url, init).then(
            (response) => {
              if (response.status >= 500) throw new KeySetUnreachable(`key set answered ${response.status}`);
              return response;
            },
            (error: unknown) => {
              // jose turns a timeout into JWKSTimeout itself; anything else is the region not answering.
              if (error instanceof Error && error.name === 'TimeoutError') throw error;
              throw new KeySetUnreachable(String(error));
            },
          ),
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
    } catch (error) {
      if (keysUnreachable(error)) {
        throw new ApiError(503, 'region_unavailable', `Region ${region} is unavailable; try again shortly`);
      }
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
