import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { CONSISTENCY_HEADER, formatToken, parseToken } from '../edge/protocol/consistency-token.ts';
import { isSecure } from './session.ts';

/**
 * The web app's read-your-writes across replicas for the writes the edge cannot keep a token for: sign-up,
 * sign-in and accepting an invitation have no principal yet (edge/consistency.ts keeps tokens per principal). The
 * last token a page's API call answered is kept in a short-lived httpOnly cookie and sent with the page's next
 * API calls, so the dashboard right after sign-up reads the new organization even from a replica behind.
 */
const KEEP_SECONDS = 60;
const cookieName = (c: Context) => (isSecure(c) ? '__Host-crm_ct' : 'crm_ct');

/** The header for a page's API call, from the cookie; a cookie that is not a token is ignored. */
export function consistencyHeader(c: Context): Record<string, string> {
  const kept = getCookie(c, cookieName(c));
  if (!kept) return {};
  try {
    const token = parseToken(kept);
    return token.size ? { [CONSISTENCY_HEADER]: formatToken(token) } : {};
  } catch {
    return {};
  }
}

/** Keeps the token an API answer carries (a write's) for the browser's next pages; returns the answer. */
export function keepConsistency(c: Context, response: Response): Response {
  const token = response.headers.get(CONSISTENCY_HEADER);
  if (token) {
    setCookie(c, cookieName(c), token, {
      path: '/',
      secure: isSecure(c),
      sameSite: 'Lax',
      httpOnly: true,
      maxAge: KEEP_SECONDS,
    });
  }
  return response;
}
