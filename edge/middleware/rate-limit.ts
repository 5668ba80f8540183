import type { Context, MiddlewareHandler } from 'hono';
import { envelope } from '../../openapi/errors.ts';
import type { KeyValueStore } from '../store/key-value.ts';

export type RateLimitOptions = {
  store: KeyValueStore;
  /** Requests allowed per window; the spec's default is 100 a minute. */
  limit: number;
  windowSeconds: number;
  /** Names the bucket a request counts against (`org:…`, `ip:…`), or null to let it pass uncounted. */
  keyOf: (c: Context) => string | null;
  now?: () => number;
};

/**
 * A fixed-window limiter answering with the IETF RateLimit headers; over the limit, 429 with Retry-After.
 * Several limiters may run on one request; the headers tell about the tightest one seen so far.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { store, limit, windowSeconds, keyOf, now = Date.now } = options;
  return async function rateLimiter(c, next) {
    const key = keyOf(c);
    if (key === null) return next();
    const time = now();
    const window = Math.floor(time / (windowSeconds * 1000));
    const count = await store.increment(`rl:${key}:${window}`, windowSeconds);
    const remaining = Math.max(0, limit - count);
    const reset = Math.max(1, Math.ceil(((window + 1) * windowSeconds * 1000 - time) / 1000));
    const previous = Number(c.get('rateLimitRemaining' as never) ?? Number.POSITIVE_INFINITY);
    const headers: Record<string, string> = {
      'RateLimit-Limit': String(limit),
      'RateLimit-Remaining': String(remaining),
      'RateLimit-Reset': String(reset),
      'RateLimit-Policy': `${limit};w=${windowSeconds}`,
    };
    if (count > limit) {
      c.set('rateLimitRemaining' as never, 0 as never);
      const response = envelope(c, 429, 'rate_limited', `Too many requests; try again in ${reset} s`);
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      response.headers.set('Retry-After', String(reset));
      return response;
    }
    if (remaining <= previous) c.set('rateLimitRemaining' as never, remaining as never);
    await next();
    // Inner limiters write their headers first; an outer one only overwrites them when it is at least as tight.
    const tightest = Number(c.get('rateLimitRemaining' as never) ?? Number.POSITIVE_INFINITY);
    if (remaining <= tightest) for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
