import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { islandScripts, stylesheet } from './assets.ts';
import { Layout } from './components/Layout.tsx';
import { createNonce, pagePolicy } from './csp.ts';
import { collectIslands } from './island.tsx';
import type { Me } from './route.ts';

export type PageRender = {
  title: string;
  me: Me | null;
  csrf: string;
  path: string;
  body: VNode;
  /** This response's CSP nonce, on every script the page loads; a page without islands may go without. */
  nonce?: string;
};

/**
 * One whole HTML document: the page inside the layout, the stylesheet, and a module script for each island the
 * render actually used (with its shared chunks preloaded), each carrying the response's CSP nonce. A page that
 * used no island gets no script at all.
 */
export function renderPage(page: PageRender): string {
  const { result: html, islands } = collectIslands(() =>
    renderToString(
      <Layout me={page.me} csrf={page.csrf} path={page.path}>
        {page.body}
      </Layout>,
    ),
  );
  const scripts = islands.flatMap((name) => (islandScripts[name] ? [islandScripts[name]] : []));
  // Without the nonce the browser would refuse them (web/csp.ts): a page with islands must be given one.
  if (scripts.length > 0 && !page.nonce) throw new Error(`The page ${page.path} has islands but no CSP nonce`);
  const preloads = [...new Set(scripts.flatMap((s) => s.imports))];
  const head = renderToString(
    <>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${page.title} · CRM`}</title>
      <link rel="stylesheet" href={stylesheet} />
      {preloads.map((href) => (
        <link key={href} rel="modulepreload" href={href} nonce={page.nonce} />
      ))}
      {scripts.map((s) => (
        <script key={s.src} type="module" src={s.src} nonce={page.nonce} />
      ))}
    </>,
  );
  return `<!doctype html><html lang="en"><head>${head}</head><body class="min-h-screen bg-slate-50 text-slate-900 antialiased">${html}</body></html>`;
}

/**
 * A page as the whole response: rendered with a fresh nonce and sent with the page policy naming it (web/csp.ts),
 * so each response's scripts run with a nonce no other response had.
 */
export function pageResponse(
  c: Context,
  page: Omit<PageRender, 'nonce'>,
  status: ContentfulStatusCode = 200,
  headers: Record<string, string> = {},
): Response {
  const nonce = createNonce();
  return c.html(renderPage({ ...page, nonce }), status, { ...headers, 'Content-Security-Policy': pagePolicy(nonce) });
}

/** A page the service could not answer in time (5xx, 429): the session is kept, the visitor tries again. */
export function ServiceUnavailable(props: { message: string }) {
  return (
    <div class="mx-auto max-w-lg p-6" role="alert">
      <h1 class="text-xl font-semibold">The CRM could not answer just now</h1>
      <p class="mt-2">{props.message}</p>
      <p class="mt-2">You are still signed in. Reload the page in a moment.</p>
    </div>
  );
}

export function FormExpired() {
  return (
    <div class="mx-auto max-w-lg p-6">
      <h1 class="text-xl font-semibold">This form has expired</h1>
      <p class="mt-2">Its security token did not match this browser’s. Go back, reload the page and send it again.</p>
    </div>
  );
}
