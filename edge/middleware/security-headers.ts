import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** A year, subdomains included (RFC 6797). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The policy of every response that is not a page (JSON, files, scripts, redirects): it loads nothing and may be
 * framed by no one, so an API answer a browser is tricked into rendering runs nothing.
 */
export const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The policy of an HTML response that brought none of its own: pages with scripts (web/render.tsx's
 * `pageResponse`, the API reference) send theirs with a nonce; any other page (the status page) runs no script.
 */
export const SCRIPTLESS_PAGE_POLICY =
  "default-src 'self'; script-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Whether the client reached us over https: the request's own URL (Workers, Deno Deploy, a TLS-terminating Node), or
 * the first proxy's `X-Forwarded-Proto` / `Forwarded: proto=`. Believing a forged header is harmless here: a
 * browser ignores HSTS received over plain http (RFC 6797 §8.1), so the worst a forger gets is a header it drops.
 */
export function isHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  const forwardedProto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwardedProto) return forwardedProto === 'https';
  const forwarded = c.req.header('forwarded')?.split(',')[0] ?? '';
  return /(?:^|;)\s*proto="?https"?\s*(?:;|$)/i.test(forwarded);
}

export type SecurityHeaderOptions = {
  /**
   * `same-origin` (default): nothing of ours may be embedded by another site. The lead-capture forms' embed
   * script and submissions, which customers' pages load, say `cross-origin` (edge/forms/routes.ts).
   */
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin';
};

/**
 * Headers on every response the edge serves (Web standards only: Node, workerd, Deno). Hono's `secureHeaders`
 * writes the fixed ones, with `X-Frame-Options: DENY` and `Referrer-Policy: strict-origin-when-cross-origin`;
 * this adds HSTS on https only (see {@link isHttps}) and a Content-Security-Policy on any response that has none
 * yet: {@link NON_PAGE_POLICY}, or {@link SCRIPTLESS_PAGE_POLICY} for HTML.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): MiddlewareHandler {
  const fixed = secureHeaders({
    crossOriginResourcePolicy: options.crossOriginResourcePolicy ?? 'same-origin',
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  });
  return async function securityHeaders(c, next) {
    await fixed(c, next);
    const headers = c.res.headers;
    if (isHttps(c)) headers.set('Strict-Transport-Security', HSTS);
    if (!headers.has('Content-Security-Policy')) {
      const html = /^text\/html\b/i.test(headers.get('content-type') ?? '');
      headers.set('Content-Security-Policy', html ? SCRIPTLESS_PAGE_POLICY : NON_PAGE_POLICY);
    }
  };
}
