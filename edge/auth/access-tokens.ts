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

  const verified = createVerifiedTokenMemo();

  return async function verifyAccessToken(token: string): Promise<Principal | null> {
    const known = verified.get(token);
    if (known) return known;
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
    const principal: Principal = {
      type: 'user',
      organizationId: org,
      region,
      userId: sub,
      role: role as Role,
      sessionId: sid,
    };
    verified.remember(token, principal, payload.exp as number);
    return principal;
  };
}

/** How long a verified token is taken on trust before its signature is checked against the key set again. */
export const VERIFIED_TOKEN_SECONDS = 60;
const VERIFIED_TOKEN_ENTRIES = 10_000;

/**
 * The principals of recently verified tokens, by the token's exact text. An ES256 verification is the costliest
 * step of an edge request, and a client sends the same token with every call until it expires. A token is
 * trusted from memory until it expires, and at most VERIFIED_TOKEN_SECONDS, so a key withdrawn from the region's
 * key set stops being honoured within that time. Oldest entries go first when the memo is full.
 */
export function createVerifiedTokenMemo(now = () => Date.now()) {
  const entries = new Map<string, { principal: Principal; until: number }>();
  return {
    get(token: string): Principal | null {
      const entry = entries.get(token);
      if (!entry) return null;
      if (now() < entry.until) return entry.principal;
      entries.delete(token);
      return null;
    },
    remember(token: string, principal: Principal, expiresAtSeconds: number) {
      const until = Math.min(expiresAtSeconds * 1000, now() + VERIFIED_TOKEN_SECONDS * 1000);
      if (until <= now()) return;
      if (entries.size >= VERIFIED_TOKEN_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(token, { principal, until });
    },
  };
}
