import type { RouteConfig } from '@hono/zod-openapi';

/**
 * How the edge reaches the region that answers a route:
 * - `home`: the caller's home region, from the verified token or API key;
 * - `signup`: the region named in the body (or the default one);
 * - `login`: the region the global directory names for the email;
 * - `token`: the region encoded in a routable token field of the body;
 * - `sso`: the region whose organization verified the email's domain for single sign-on (else the login's).
 */
export type Target =
  | { kind: 'home' }
  | { kind: 'signup' }
  | { kind: 'login' }
  | { kind: 'sso' }
  /**
   * The token is in the body's `field`, or with `in: 'query'` in the query parameter of that name (a link), or
   * with `in: 'path'` in the path parameter of that name (an inbound webhook URL).
   */
  | { kind: 'token'; field: string; in?: 'body' | 'query' | 'path' };

/**
 * A public route, where the edge sends it, and whether its answers may be cached per principal. `upload` marks the
 * few routes that take a multipart/form-data file instead of JSON (larger body limits, raw bytes forwarded);
 * `form` the ones that also accept an application/x-www-form-urlencoded body (one-click unsubscribe, RFC 8058).
 */
export type PublicOperation = {
  route: RouteConfig;
  target: Target;
  cacheable?: boolean;
  upload?: UploadKind;
  form?: boolean;
};

/** Which size limit an upload route's file answers to. */
export type UploadKind = 'attachment' | 'import';

export const home: Target = { kind: 'home' };
