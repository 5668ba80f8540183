/**
 * The Content-Security-Policy of the web app's pages. Scripts run only with this response's nonce (the island
 * scripts and their module preloads carry it) or when such a script loads them (`'strict-dynamic'`: an island's
 * imports and chunks); no inline script runs without it, and there is no `'unsafe-inline'` for scripts.
 *
 * Styles: the stylesheet is a file of our own (`style-src 'self'`, so no `<style>` element or injected sheet
 * applies; uPlot's few rules are in web/styles.css). Inline `style` *attributes* are allowed
 * (`style-src-attr 'unsafe-inline'`): the server renders sizes only known per page into them (the leads table's
 * spacer rows, a chart's height), and an attribute can neither load anything (`img-src` still binds any `url()`)
 * nor hold a selector that reads the page.
 *
 * Everything else comes from this origin: the API and the live streams (`connect-src`), images and fonts; the pages
 * are never framed (`frame-ancestors 'none'`), forms post here only, and `<base>` cannot move relative URLs.
 */
export function pagePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** 128 random bits from Web Crypto, base64: a new one for every response that renders a page. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
