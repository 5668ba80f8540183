import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, envelope } from '../../openapi/errors.ts';
import type { RegionCaller } from '../forward.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { securityHeaders } from '../middleware/security-headers.ts';
import { isRead } from '../protocol/methods.ts';
import type { Principal } from '../protocol/principal.ts';
import type { KeyValueStore } from '../store/key-value.ts';
import { readValues } from './body.ts';
import { defaultFormRouteOptions, type FormRouteOptions } from './config.ts';
import { corsHeaders, isAllowedOrigin, preflightHeaders } from './cors.ts';
import { createFormDefinitions, type PublicForm } from './definitions.ts';
import { embedScript } from './embed-script.ts';
import { formPublicId, parseFormPublicId } from './public-id.ts';

export type FormRouteDeps = {
  regions: Record<string, string>;
  caller: RegionCaller;
  store: KeyValueStore;
  clientIp: (c: Context) => string | undefined;
  /** The edge's own per-IP limit, which the embed script's loads count against like any request. */
  ipLimit: { limit: number; windowSeconds: number };
  options?: Partial<FormRouteOptions>;
};

type FormEnv = { Variables: { form: PublicForm; formRegion: string } };

/** Values the edge reads itself and does not pass to the region as form fields. */
const HONEYPOT = 'website';
const TURNSTILE_FIELD = 'cf-turnstile-response';

/**
 * The public routes of lead-capture forms: `GET /forms/{publicId}.js` (the embed script) and
 * `POST /forms/{publicId}/submissions` with its CORS preflight. Mounted before the edge's own security headers, as they
 * must differ in one: the script and the answers are for other sites, so `Cross-Origin-Resource-Policy` is
 * `cross-origin` (same-origin would keep every customer page from loading the script). Also drops the edge's copy
 * of a form's definition when an admin changes or deletes it through the API.
 */
export function mountFormRoutes(app: Hono<never>, deps: FormRouteDeps) {
  const options = { ...defaultFormRouteOptions, ...deps.options };
  const definitions = createFormDefinitions(deps.store, deps.caller, options.cacheSeconds);
  const ipOf = (c: Context) => deps.clientIp(c) ?? 'unknown';
  const forms = app as unknown as Hono<FormEnv>;

  // The edge's own headers but one: no framing, nosniff (the script must be run as the script it is), HSTS, a CSP
  // that loads nothing (neither answer is a page); only `Cross-Origin-Resource-Policy` lets other sites load them.
  const headers = securityHeaders({ crossOriginResourcePolicy: 'cross-origin' });
  const scriptIpLimit = rateLimit({ store: deps.store, ...deps.ipLimit, keyOf: (c) => `ip:${ipOf(c)}` });
  const submitIpLimit = rateLimit({
    store: deps.store,
    limit: options.perIp,
    windowSeconds: options.windowSeconds,
    keyOf: (c) => `form-ip:${ipOf(c)}`,
  });
  const perFormLimit = rateLimit({
    store: deps.store,
    limit: options.perForm,
    windowSeconds: options.windowSeconds,
    keyOf: (c) => `form:${c.get('form' as never as 'form').publicId}`,
  });
  const limitBody = bodyLimit({
    maxSize: options.maxBodyBytes,
    onError: (c) => {
      c.header('Connection', 'close');
      return envelope(c, 413, 'payload_too_large', `The body is larger than ${options.maxBodyBytes} bytes`);
    },
  });

  /** Finds the form named in the path (404 for a malformed id, an unknown region or an inactive form). */
  const loadForm = (param: string, suffix = ''): MiddlewareHandler<FormEnv> =>
    async function loadForm(c, next) {
      const value = c.req.param(param) ?? '';
      const publicId = suffix ? value.slice(0, -suffix.length) : value;
      const parsed = suffix && !value.endsWith(suffix) ? null : parseFormPublicId(publicId);
      const form = parsed && deps.regions[parsed.region] ? await definitions.read(c, parsed.region, publicId) : null;
      if (!parsed || !form) return envelope(c, 404, 'not_found', 'Form not found');
      c.set('form', form);
      c.set('formRegion', parsed.region);
      await next();
    };

  /**
   * Only a listed origin may submit or read the answer: any other, or none (a request that no browser page made),
   * is refused with 403 and no CORS headers. The answer, errors included, carries the origin's CORS headers.
   */
  const allowedOrigin: MiddlewareHandler<FormEnv> = async (c, next) => {
    const origin = c.req.header('origin');
    if (!isAllowedOrigin(origin, c.get('form').allowedOrigins)) {
      return envelope(
        c,
        403,
        'origin_not_allowed',
        `This form does not accept submissions from ${origin ?? 'no origin'}`,
      );
    }
    await next();
    for (const [name, value] of Object.entries(corsHeaders(origin))) c.res.headers.set(name, value);
  };

  forms.get('/forms/:script{[^/]+\\.js}', headers, scriptIpLimit, loadForm('script', '.js'), async (c) => {
    const form = c.get('form');
    const url = new URL(c.req.url);
    const script = embedScript(form, `${url.origin}/forms/${form.publicId}/submissions`);
    return c.body(script, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      // Every page view loads it: browsers and CDNs may keep it a minute; a change shows on the next load after.
      'Cache-Control': 'public, max-age=60',
    });
  });

  forms.options('/forms/:publicId/submissions', headers, loadForm('publicId'), async (c) => {
    const origin = c.req.header('origin');
    if (!isAllowedOrigin(origin, c.get('form').allowedOrigins)) {
      return envelope(
        c,
        403,
        'origin_not_allowed',
        `This form does not accept submissions from ${origin ?? 'no origin'}`,
      );
    }
    return c.body(null, 204, preflightHeaders(origin));
  });

  forms.post(
    '/forms/:publicId/submissions',
    headers,
    limitBody,
    submitIpLimit,
    loadForm('publicId'),
    allowedOrigin,
    perFormLimit,
    async (c) => {
      const form = c.get('form');
      const values = await readValues(c);
      const fake = {
        submission: { id: crypto.randomUUID() },
        message: form.successMessage,
        redirectUrl: form.redirectUrl,
      };
      // A filled honeypot is a bot: it is told it succeeded, so it learns nothing, and nothing is created.
      if (typeof values[HONEYPOT] === 'string' ? values[HONEYPOT].trim() !== '' : values[HONEYPOT] === true) {
        return c.json(fake, 201);
      }
      if (form.turnstileSiteKey) {
        const token = values[TURNSTILE_FIELD];
        const checked = await options.turnstile.verify(typeof token === 'string' ? token : '', deps.clientIp(c));
        if (!checked.success) {
          throw new ApiError(403, 'turnstile_failed', 'The anti-spam challenge was not passed; please try again', [
            { path: TURNSTILE_FIELD, message: checked.errorCodes.join(', ') || 'Not verified' },
          ]);
        }
      }
      const { [HONEYPOT]: _trap, [TURNSTILE_FIELD]: _token, pageUrl, ...fields } = values;
      const page = typeof pageUrl === 'string' && pageUrl ? pageUrl : (c.req.header('referer') ?? null);
      const { status, data } = await deps.caller.call<unknown>(c, c.get('formRegion'), '/internal/forms/submit', {
        publicId: form.publicId,
        values: fields,
        origin: c.req.header('origin') ?? null,
        pageUrl: page ? page.slice(0, 2000) : null,
      });
      return c.json(data as never, status as 201);
    },
  );

  // A change to a form through the API drops the edge's copy, so its embeds show the change on their next load.
  forms.use('/api/v1/forms/:id', async (c, next) => {
    await next();
    if (isRead(c.req.method) || c.res.status >= 300) return;
    const principal = c.get('principal' as never) as Principal | undefined;
    if (principal)
      await definitions.forget(formPublicId(principal.region, principal.organizationId, c.req.param('id')));
  });
}
