import { Scalar } from '@scalar/hono-api-reference';
import type { Context } from 'hono';
import { createNonce } from '../web/csp.ts';

/** Where the Scalar viewer comes from (its UMD bundle, chosen by Scalar itself when given a nonce) and its fonts. */
const SCALAR_CDN = 'https://cdn.jsdelivr.net';
const SCALAR_FONTS = 'https://fonts.scalar.com';

/**
 * The API reference's own policy, looser than the app's pages in what the viewer needs and nothing else: its script
 * from the CDN and its inline start-up script, both with this response's nonce (`'strict-dynamic'` lets the
 * bundle load what it loads; the CDN host is there for browsers without it); the styles it injects at run time
 * (`'unsafe-inline'` for styles, which a nonce in the same directive would switch off, so there is none); its
 * fonts; images anywhere over https (logos in descriptions); requests to this origin only (the document and "try it").
 */
export function apiDocsPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic' ${SCALAR_CDN}`,
    `style-src 'self' 'unsafe-inline' ${SCALAR_CDN} ${SCALAR_FONTS}`,
    `font-src 'self' data: ${SCALAR_CDN} ${SCALAR_FONTS}`,
    "img-src 'self' data: blob: https:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `GET /docs`: the Scalar reference of `/openapi.json`, its scripts nonced, with {@link apiDocsPolicy}. */
export async function apiDocs(c: Context): Promise<Response> {
  const nonce = createNonce();
  const page = Scalar({ url: '/openapi.json', pageTitle: 'CRM API', nonce });
  const response = await page(c, async () => {});
  if (!response) throw new Error('the API reference rendered nothing');
  response.headers.set('Content-Security-Policy', apiDocsPolicy(nonce));
  return response;
}
