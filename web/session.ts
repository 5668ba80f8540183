import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The browser's session: the API's own access and refresh tokens, kept in httpOnly cookies so no script can read
 * them (nothing goes to localStorage), plus a CSRF token in a readable cookie that forms echo as `_csrf` and scripts
 * as `X-CSRF-Token` (double submit, checked at the edge). SameSite=Lax keeps other sites' form posts cookie-less too.
 */
export const REFRESH_COOKIE_SECONDS = 7 * 24 * 3600;

export const isSecure = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

/** `__Host-` names (Secure, no Domain, Path=/) whenever the page was served over https. */
export function cookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { access: `${prefix}crm_at`, refresh: `${prefix}crm_rt`, csrf: `${prefix}crm_csrf` };
}

export type SessionCookies = { access?: string; refresh?: string; csrf?: string };

export function readSession(c: Context): SessionCookies {
  const names = cookieNames(isSecure(c));
  return { access: getCookie(c, names.access), refresh: getCookie(c, names.refresh), csrf: getCookie(c, names.csrf) };
}

const base = (c: Context) => ({ path: '/', secure: isSecure(c), sameSite: 'Lax' as const });

export function writeTokens(c: Context, tokens: { accessToken: string; refreshToken: string; expiresIn: number }) {
  const names = cookieNames(isSecure(c));
  setCookie(c, names.access, tokens.accessToken, { ...base(c), httpOnly: true, maxAge: tokens.expiresIn });
  setCookie(c, names.refresh, tokens.refreshToken, { ...base(c), httpOnly: true, maxAge: REFRESH_COOKIE_SECONDS });
}

export function clearTokens(c: Context) {
  const names = cookieNames(isSecure(c));
  deleteCookie(c, names.access, base(c));
  deleteCookie(c, names.refresh, base(c));
}

const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The CSRF token of this browser, set on first sight; readable by scripts on purpose (they send it back). */
export function ensureCsrf(c: Context): string {
  const existing = readSession(c).csrf;
  if (existing && /^[0-9a-f]{64}$/.test(existing)) return existing;
  const token = toHex(crypto.getRandomValues(new Uint8Array(32)));
  setCookie(c, cookieNames(isSecure(c)).csrf, token, { ...base(c), httpOnly: false, maxAge: REFRESH_COOKIE_SECONDS });
  return token;
}

/** Compares the submitted token with the cookie without leaking where they first differ. */
export function csrfMatches(cookie: string | undefined, submitted: string | null | undefined): boolean {
  if (!cookie || !submitted || cookie.length !== submitted.length) return false;
  let diff = 0;
  for (let i = 0; i < cookie.length; i++) diff |= cookie.charCodeAt(i) ^ submitted.charCodeAt(i);
  return diff === 0;
}

/**
 * Seconds the access token still has, read from its `exp` claim without checking the signature: only to decide
 * whether to refresh it first. The API verifies it as always.
 */
export function secondsLeft(accessToken: string | undefined, now = Date.now()): number {
  const payload = accessToken?.split('.')[1];
  if (!payload) return 0;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: number }).exp;
    return typeof exp === 'number' ? exp - Math.floor(now / 1000) : 0;
  } catch {
    return 0;
  }
}

type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };

/**
 * Refresh tokens are single use and a reused one revokes the whole session, so a page and its scripts asking at
 * once must share one refresh: in-flight refreshes (and their result, briefly) are kept per refresh token.
 */
const refreshing = new Map<string, { at: number; result: Promise<Tokens | null> }>();
const KEEP_REFRESH_MS = 30_000;

export function refreshOnce(refreshToken: string, refresh: (token: string) => Promise<Tokens | null>) {
  const now = Date.now();
  for (const [key, entry] of refreshing) if (now - entry.at > KEEP_REFRESH_MS) refreshing.delete(key);
  const known = refreshing.get(refreshToken);
  if (known) return known.result;
  const result = refresh(refreshToken);
  refreshing.set(refreshToken, { at: now, result });
  return result;
}
