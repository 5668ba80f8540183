import type { Context, MiddlewareHandler } from 'hono';
import { envelope } from '../../openapi/errors.ts';
import { sha256Hex } from '../protocol/encoding.ts';
import type { Principal } from '../protocol/principal.ts';
import { parseRoutableToken } from '../protocol/routable-token.ts';
import type { KeyValueStore } from '../store/key-value.ts';

export type AuthenticateOptions = {
  verifyAccessToken: (token: string) => Promise<Principal | null>;
  /** Asks the key's home region who an API key acts as; null for an unknown or revoked key. */
  resolveApiKey: (key: string, region: string, c: Context) => Promise<Principal | null>;
  regions: Record<string, string>;
  /** Where resolved API keys are remembered for `apiKeyCacheSeconds`, so a busy key costs no region call. */
  store: KeyValueStore;
  apiKeyCacheSeconds?: number;
};

/** Accepts `Authorization: Bearer <access token | API key>` and sets `principal`; anything else is 401. */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler {
  const ttl = options.apiKeyCacheSeconds ?? 30;
  return async function authenticateRequest(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S{10,4096})$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      return envelope(c, 401, 'unauthorized', 'Send Authorization: Bearer <access token or API key>');
    }
    const credential = match[1]!;
    let principal: Principal | null;
    const key = parseRoutableToken(credential);
    if (key?.kind === 'ck' && options.regions[key.region]) {
      const cacheKey = `ak:${await sha256Hex(credential)}`;
      const cached = await options.store.get(cacheKey);
      principal = cached ? (JSON.parse(cached) as Principal) : await options.resolveApiKey(credential, key.region, c);
      // A TTL of 0 turns caching off; a store may round a zero expiry up to a second (Redis does).
      if (principal && !cached && ttl > 0) await options.store.set(cacheKey, JSON.stringify(principal), ttl);
    } else {
      principal = await options.verifyAccessToken(credential);
    }
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return envelope(c, 401, 'invalid_token', 'The access token or API key is not valid, or has expired');
    }
    c.set('principal' as never, principal as never);
    await next();
  };
}
