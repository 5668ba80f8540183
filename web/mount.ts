import type { Context, Hono, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { type ComponentType, h, type VNode } from 'preact';
import { envelope } from '../openapi/errors.ts';
import { type ApiInit, readApiResponse } from './api.ts';
import { assetResponse } from './assets.ts';
import { consistencyHeader, keepConsistency } from './consistency-cookie.ts';
import { routes } from './manifest.gen.ts';
import { FormExpired, pageResponse, ServiceUnavailable } from './render.tsx';
import type { Me, RouteContext, RouteModule } from './route.ts';
import {
  clearTokens,
  csrfMatches,
  ensureCsrf,
  isSecure,
  readSession,
  refreshOnce,
  secondsLeft,
  writeTokens,
} from './session.ts';

type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };
// biome-ignore lint/suspicious/noExplicitAny: the edge app's own Env type is private to it.
type AnyHono = Hono<any, any, any>;

/** An access token this close to expiry is refreshed first, so a request never dies half-way through. */
const REFRESH_WHEN_SECONDS_LEFT = 15;
const MAX_FORM_BYTES = 64 * 1024;
/** The pages a member who must enrol in MFA first can still open. */
const MFA_ENROLMENT_PAGES = new Set(['/settings/security', '/logout']);

/**
 * Whether the browser says another site (or a sibling subdomain) started the request. Browsers without
 * Sec-Fetch-Site still have SameSite=Lax cookies and the CSRF token between them and a forged write.
 */
const fromAnotherSite = (c: Context) => {
  const site = c.req.header('sec-fetch-site');
  return site !== undefined && site !== 'same-origin' && site !== 'none';
};

/**
 * Mounts the web app on the edge: the pages under `routes/`, their static files, and browser sessions for the API.
 * Pages call the API through this same app (`app.fetch`), so they pass the edge's authentication, rate limits,
 * read cache and region routing exactly as any API client does.
 */
export function mountWebApp(app: AnyHono, options: { regions: string[] }) {
  const call = (c: Context, path: string, init: ApiInit & { token?: string | null } = {}) => {
    // The last write's consistency token of this browser (sign-up, sign-in: see consistency-cookie.ts).
    const headers: Record<string, string> = { accept: 'application/json', ...consistencyHeader(c), ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    // The caller's address goes along for the per-IP rate limit on runtimes that read it from a header.
    const ip = c.req.header('cf-connecting-ip');
    if (ip) headers['cf-connecting-ip'] = ip;
    const request = new Request(new URL(path, c.req.url), {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return Promise.resolve(app.fetch(request, c.env)).then((response) => keepConsistency(c, response));
  };

  /** The session's access token, refreshed through the API when it is (nearly) spent; null when signed out. */
  async function accessToken(c: Context): Promise<{ token: string | null; renewed: Tokens | null }> {
    const { access, refresh } = readSession(c);
    if (access && secondsLeft(access) > REFRESH_WHEN_SECONDS_LEFT) return { token: access, renewed: null };
    if (!refresh) return { token: null, renewed: null };
    const renewed = await refreshOnce(refresh, async (refreshToken) => {
      const answer = await readApiResponse<Tokens>(
        await call(c, '/api/v1/auth/refresh', { method: 'POST', body: { refreshToken } }),
      );
      return answer.ok ? answer.data : null;
    });
    return { token: renewed?.accessToken ?? null, renewed };
  }

  const keepTokens = (c: Context, renewed: Tokens | null, token: string | null) => {
    if (renewed) writeTokens(c, renewed);
    else if (!token && (readSession(c).access || readSession(c).refresh)) clearTokens(c);
  };

  // Browser scripts (islands) call /api/v1 with the session cookies instead of a Bearer token. A cookie-carried
  // request that changes anything must echo the CSRF cookie in X-CSRF-Token; Bearer clients are untouched. A request
  // the browser says another site started (Sec-Fetch-Site) never uses the session: it goes on unauthenticated.
  app.use('/api/*', async function browserSession(c: Context, next: Next) {
    const cookies = readSession(c);
    if (c.req.header('authorization') || (!cookies.access && !cookies.refresh)) return next();
    if (fromAnotherSite(c)) return next();
    const safe = c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS';
    if (!safe && !csrfMatches(cookies.csrf, c.req.header('x-csrf-token'))) {
      return envelope(c, 403, 'csrf_failed', 'The request did not carry this session’s CSRF token; reload the page');
    }
    const { token, renewed } = await accessToken(c);
    if (token) {
      // The request itself is kept where its headers may change (a runtime may know the caller by that object:
      // edge/deno.ts does); workerd's are immutable, so there it is copied.
      try {
        c.req.raw.headers.set('authorization', `Bearer ${token}`);
      } catch {
        const headers = new Headers(c.req.raw.headers);
        headers.set('authorization', `Bearer ${token}`);
        c.req.raw = new Request(c.req.raw, { headers, duplex: 'half' } as RequestInit);
      }
    }
    await next();
    keepTokens(c, renewed, token);
  });

  app.get('/static/*', (c) => assetResponse(c.req.path, c.req.header('if-none-match')) ?? c.notFound());

  const formLimit = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) => c.text('The form is too large', 413),
  });

  for (const { pattern, module } of routes) {
    const page = async (c: Context) => {
      const method = c.req.method === 'POST' ? 'POST' : 'GET';
      const run = module.handler?.[method] ?? (method === 'GET' && module.default ? (ctx) => ctx.render() : undefined);
      if (!run) return c.text('Method not allowed', 405, { allow: module.handler?.POST ? 'GET, POST' : 'GET' });
      const csrf = ensureCsrf(c);
      let form: FormData | undefined;
      if (method === 'POST') {
        form = await c.req.formData().catch(() => new FormData());
        if (!module.config?.crossSitePost && !csrfMatches(readSession(c).csrf, form.get('_csrf')?.toString())) {
          return pageResponse(c, { title: 'Form expired', me: null, csrf, path: c.req.path, body: FormExpired() }, 403);
        }
      }
      const { token, renewed } = await accessToken(c);
      let me: Me | null = null;
      if (token) {
        const answer = await readApiResponse<Me>(await call(c, '/api/v1/me', { token }));
        if (answer.ok) me = answer.data;
        // Only a refused token ends the session: a region too slow or too busy to answer (5xx, 429) must not
        // sign the user out and lose what they were doing.
        else if (answer.status >= 500 || answer.status === 429) {
          keepTokens(c, renewed, token);
          const body = ServiceUnavailable({ message: answer.error.message });
          return pageResponse(c, { title: 'Try again', me: null, csrf, path: c.req.path, body }, 503, {
            'retry-after': '5',
          });
        }
      }
      keepTokens(c, renewed, me ? token : null);
      const url = new URL(c.req.url);
      if (!me && !module.config?.public) {
        return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      // A member of an organization that requires MFA, without it, sets it up before anything else.
      if (me?.mfaEnrolmentRequired && !MFA_ENROLMENT_PAGES.has(url.pathname)) {
        return c.redirect('/settings/security', 303);
      }
      return run(contextFor(c, module, { me, csrf, token: me ? token : null, form, url }) as RouteContext<never>);
    };
    app.on(['GET', 'POST'], pattern, formLimit, page);
  }

  function contextFor(
    c: Context,
    module: RouteModule,
    state: { me: Me | null; csrf: string; token: string | null; form?: FormData; url: URL },
  ): RouteContext<unknown> {
    const params = c.req.param() as Record<string, string>;
    let token = state.token;
    const ctx: RouteContext<unknown> = {
      request: c.req.raw,
      url: state.url,
      params,
      me: state.me,
      regions: options.regions,
      csrf: state.csrf,
      api: async (path, init) => readApiResponse(await call(c, path, { ...init, token })),
      render(data, options = {}) {
        const Page = module.default;
        if (!Page) return c.text('This route has no page', 500);
        const props = { data, url: state.url, params, me: ctx.me, csrf: state.csrf };
        const page = {
          title: options.title ?? 'CRM',
          me: ctx.me,
          csrf: state.csrf,
          path: state.url.pathname,
          body: h(Page as ComponentType<typeof props>, props) as VNode,
        };
        return pageResponse(c, page, (options.status ?? 200) as 200);
      },
      redirect: (to, status = 303) => c.redirect(to, status),
      form: async () => state.form ?? new FormData(),
      secure: isSecure(c),
      cookie: (name) => getCookie(c, name),
      setCookie: (name, value, options) => setCookie(c, name, value, options),
      signIn(tokens) {
        writeTokens(c, tokens);
        token = tokens.accessToken;
      },
      signOut() {
        clearTokens(c);
        token = null;
        ctx.me = null;
      },
    };
    return ctx;
  }
}
