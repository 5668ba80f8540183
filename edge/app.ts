import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { type PublicOperation, publicOperations } from '../openapi/catalog.ts';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { createErrorHandler, notFoundHandler, validationHook } from '../openapi/error-handlers.ts';
import { envelope } from '../openapi/errors.ts';
import { BATCH_MAX_BODY_BYTES, isBatchRequest } from '../openapi/routes/batch/limit.ts';
import { acceptsFormBody, uploadKindOf } from '../openapi/uploads.ts';
import { mountWebApp } from '../web/mount.ts';
import { apiDocs } from './api-docs.ts';
import { createAccessTokenVerifier } from './auth/access-tokens.ts';
import { createConsistencyTokens } from './consistency.ts';
import type { FormRouteOptions } from './forms/config.ts';
import { mountFormRoutes } from './forms/routes.ts';
import { createRegionCaller, type Forwarded, toResponse } from './forward.ts';
import { authenticate } from './middleware/authenticate.ts';
import { jsonBody } from './middleware/json-body.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { EdgeMetrics } from './ops/metrics.ts';
import { mountOpsRoutes } from './ops/routes.tsx';
import { createStatusProbe } from './ops/status.ts';
import type { EdgeTracing } from './ops/tracing.ts';
import { isRead } from './protocol/methods.ts';
import type { Principal } from './protocol/principal.ts';
import { regionOfToken } from './protocol/routable-token.ts';
import { importSigningSecret } from './protocol/signature.ts';
import { createResponseCache } from './response-cache.ts';
import type { KeyValueStore } from './store/key-value.ts';
import { MemoryStore } from './store/memory.ts';

export type EdgeOptions = {
  /** Region name → base URL of its data plane. */
  regions: Record<string, string>;
  defaultRegion: string;
  sharedSecret: string;
  store?: KeyValueStore;
  rateLimit?: { perOrganization: number; perIp: number; windowSeconds: number };
  cacheTtlSeconds?: number;
  /** How long the edge keeps a principal's last write token for read-your-writes on replicas; 0 turns it off. */
  consistencyTokenSeconds?: number;
  /** How long a resolved API key is trusted without asking its region; a revocation takes at most this long. */
  apiKeyCacheSeconds?: number;
  maxBodyBytes?: number;
  /** Body limit of the multipart upload routes (attachments, CSV imports); the regions apply their own per kind. */
  maxUploadBytes?: number;
  fetch?: typeof fetch;
  /** The caller's address as the runtime knows it (socket, `cf-connecting-ip`, …). */
  clientIp?: (c: Context) => string | undefined;
  onError?: (error: unknown) => void;
  /** Lead-capture forms' public routes: their rate limits, body limit, definition cache and Turnstile check. */
  forms?: Partial<FormRouteOptions>;
  /** OpenTelemetry traces (edge/ops/tracing.ts): a span per request, `traceparent` on every call to a region. */
  tracing?: EdgeTracing;
  /** `/metrics` (a Bearer token, else loopback only) and the status page's probes (edge/ops). */
  ops?: { metricsToken?: string; statusCacheSeconds?: number; statusTimeoutMs?: number };
};

type EdgeEnv = { Variables: { requestId: string; principal: Principal } };

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** The default import limit (128 MiB, regions' IMPORT_MAX_BYTES) and room for the multipart framing around it. */
export const DEFAULT_MAX_UPLOAD_BYTES = 129 * 1024 * 1024;

/** The edge: Web standards only, so the same app runs on Node, Cloudflare Workers and Deno. */
export function createEdgeApp(options: EdgeOptions) {
  if (!options.regions[options.defaultRegion]) throw new Error(`default region ${options.defaultRegion} has no URL`);
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const store = options.store ?? new MemoryStore();
  const limits = options.rateLimit ?? { perOrganization: 100, perIp: 100, windowSeconds: 60 };
  const clientIp = options.clientIp ?? ((c: Context) => c.req.header('cf-connecting-ip') ?? undefined);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const isUpload = (c: Context) => uploadKindOf(c.req.method, c.req.path) !== null;
  const regions = createRegionCaller({
    regions: options.regions,
    key: importSigningSecret(options.sharedSecret),
    fetch: fetchImpl,
    clientIp,
    // An upload is never held: it is counted against its limit while it streams on to the region.
    streamedLimit: (c) => (isUpload(c) ? maxUploadBytes : null),
    traceHeaders: options.tracing?.headersFor,
  });
  const cacheTtlSeconds = options.cacheTtlSeconds ?? 30;
  const cache = createResponseCache(store, cacheTtlSeconds);
  const consistency = createConsistencyTokens(store, options.consistencyTokenSeconds ?? 60);
  const metrics = new EdgeMetrics();

  const app = new OpenAPIHono<EdgeEnv>({ defaultHook: validationHook });
  app.onError(createErrorHandler(options.onError ? (error) => options.onError!(error) : undefined));
  app.notFound(notFoundHandler);
  app.use('*', requestId());
  if (options.tracing) app.use('*', options.tracing.middleware);
  app.use('*', async function exposeRequestId(c, next) {
    await next();
    // Responses relayed from a region are built here, not by c.json, so the header must be set on them too.
    c.res.headers.set('X-Request-Id', c.get('requestId'));
  });
  app.use('*', async function countRequest(c, next) {
    await next();
    metrics.countRequest(c.req.method, c.res.status);
  });
  // Before the security headers: the forms' public routes set their own (edge/forms/routes.ts).
  mountFormRoutes(app as never, {
    regions: options.regions,
    caller: regions,
    store,
    clientIp,
    ipLimit: { limit: limits.perIp, windowSeconds: limits.windowSeconds },
    options: options.forms,
  });
  // HSTS, nosniff, no framing, the referrer policy and a CSP on every response from here on.
  app.use('*', securityHeaders());

  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  app.get('/openapi.json', (c) => {
    document ??= buildOpenApiDocument();
    return c.json(document);
  });
  app.get('/docs', apiDocs);
  app.get('/health', (c) => c.json({ status: 'ok', tier: 'edge', regions: Object.keys(options.regions) }));
  const statusCacheSeconds = options.ops?.statusCacheSeconds ?? 5;
  mountOpsRoutes(app, {
    metrics,
    status: createStatusProbe({
      regions: options.regions,
      fetch: fetchImpl,
      timeoutMs: options.ops?.statusTimeoutMs ?? 2000,
      cacheSeconds: statusCacheSeconds,
    }),
    statusCacheSeconds,
    metricsToken: options.ops?.metricsToken,
    clientIp,
  });
  // The web app (routes/, islands/): its pages, static files, and cookie sessions for the browser's API calls.
  mountWebApp(app, { regions: Object.keys(options.regions) });

  const tooLarge = (c: Context, maxSize: number) => {
    // The rest of the upload is never read, so the socket cannot carry another request: say so, or a
    // keep-alive client reuses it and its next request fails.
    c.header('Connection', 'close');
    return envelope(c, 413, 'payload_too_large', `The body is larger than ${maxSize} bytes`);
  };
  const limitBody = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => tooLarge(c, maxSize) });
  const jsonLimit = limitBody(maxBodyBytes);
  // Hono's bodyLimit reads a body without Content-Length into memory to count it; an upload's declared length is
  // checked here, up front, and its bytes are counted as they stream to the region (forward.ts).
  const uploadLimit = async (c: Context, next: () => Promise<void>) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding') && Number(declared) > maxUploadBytes) {
      return tooLarge(c, maxUploadBytes);
    }
    await next();
  };
  const batchLimit = limitBody(Math.max(maxBodyBytes, BATCH_MAX_BODY_BYTES));
  app.use('/api/*', (c, next) => {
    // A read has no body to limit, and asking Node's adapter for it builds the whole Request (a tenth of a cache hit).
    if (isRead(c.req.method)) return next();
    if (isUpload(c)) return uploadLimit(c, next);
    return (isBatchRequest(c.req.method, c.req.path) ? batchLimit : jsonLimit)(c, next);
  });
  app.use(
    '/api/*',
    rateLimit({
      store,
      limit: limits.perIp,
      windowSeconds: limits.windowSeconds,
      keyOf: (c) => `ip:${clientIp(c) ?? 'unknown'}`,
    }),
  );
  app.use('/api/*', jsonBody({ uploadRoute: isUpload, formRoute: (c) => acceptsFormBody(c.req.method, c.req.path) }));

  const authenticated = [
    authenticate({
      verifyAccessToken: createAccessTokenVerifier(options.regions, fetchImpl),
      resolveApiKey: async (key, region, c) => {
        const { status, data } = await regions.call<{ principal: Principal }>(c, region, '/internal/auth/api-key', {
          key,
        });
        return status === 200 ? data.principal : null;
      },
      regions: options.regions,
      store,
      apiKeyCacheSeconds: options.apiKeyCacheSeconds,
    }),
    rateLimit({
      store,
      limit: limits.perOrganization,
      windowSeconds: limits.windowSeconds,
      keyOf: (c) => `org:${c.get('principal' as never as 'principal')?.organizationId}`,
    }),
  ];

  async function regionFor(c: Context, operation: PublicOperation): Promise<string> {
    const { target } = operation;
    if (target.kind === 'home') return (c.get('principal' as never) as Principal).region;
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    if (target.kind === 'signup') {
      const wanted = typeof body.region === 'string' ? body.region : options.defaultRegion;
      return wanted;
    }
    if (target.kind === 'token') {
      const value =
        target.in === 'query'
          ? c.req.query(target.field)
          : target.in === 'path'
            ? c.req.param(target.field)
            : body[target.field];
      const region = typeof value === 'string' ? regionOfToken(value) : null;
      return region && options.regions[region] ? region : options.defaultRegion;
    }
    const { status, data } = await regions.call<{ result: { region: string } | null }>(
      c,
      options.defaultRegion,
      target.kind === 'sso' ? '/internal/directory/find-sso-region' : '/internal/directory/find-login',
      { email: String(body.email ?? '') },
    );
    if (status !== 200) throw new Error(`directory lookup answered ${status}`);
    const home = data.result?.region;
    return home && options.regions[home] ? home : options.defaultRegion;
  }

  for (const operation of publicOperations) {
    const needsPrincipal = operation.target.kind === 'home';
    const handler = async (c: Context) => {
      const region = await regionFor(c, operation);
      if (!options.regions[region]) {
        return envelope(c, 400, 'unknown_region', `Unknown region "${region}"`, [
          { path: 'region', message: `One of: ${Object.keys(options.regions).join(', ')}` },
        ]);
      }
      const principal = needsPrincipal ? (c.get('principal' as never) as Principal) : undefined;
      const reads = isRead(c.req.method);
      // Reads carry the principal's last write position (and the client's echo) so a replica behind it is skipped.
      const consistent = await consistency.outgoing(
        region,
        c.req.header('x-consistency-token'),
        reads ? principal : undefined,
      );
      // Every answer from the region says whether it reads replicas, which decides the next read's token lookup.
      const forward = async () => {
        const answer = await regions.forward(c, region, principal, consistent);
        consistency.heard(region, answer.readReplicas);
        return answer;
      };
      if (operation.cacheable && principal) {
        const url = new URL(c.req.url);
        // One URL may answer JSON or a CSV file by Accept (the reports): each representation is its own entry.
        const accept = c.req.header('accept');
        const { key, hit } = await cache.read(principal, url.pathname + url.search + (accept ? `#${accept}` : ''));
        const fromCache = (entry: Forwarded) => {
          metrics.countCache('hit');
          const etag = entry.headers.etag;
          if (etag && c.req.header('if-none-match') === etag)
            return new Response(null, { status: 304, headers: { etag } });
          return toResponse(entry, { 'x-cache': 'hit' });
        };
        if (hit) return fromCache(hit);
        // Small JSON is read and kept; anything else (a CSV report) streams on unread and is said to bypass. A HEAD
        // answer has no body to keep, and must not be stored as the GET's. Concurrent misses of one GET share one
        // region call (stampede protection in response-cache.ts); those that waited answer from the kept entry.
        const filled =
          c.req.method === 'GET'
            ? await cache.fill(key, forward)
            : { answer: await forward(), kept: false, shared: false };
        if (filled.shared) return fromCache(filled.answer);
        // With the cache off (CACHE_TTL_SECONDS=0) nothing is a miss: there was no cache to miss.
        if (cacheTtlSeconds > 0) metrics.countCache(filled.kept ? 'miss' : 'bypass');
        return toResponse(filled.answer, { 'x-cache': filled.kept ? 'miss' : 'bypass' });
      }
      const answered = await forward();
      // A write that timed out or failed on the way back may still have been applied: only a refusal (4xx) leaves
      // the organization's cached reads true.
      const mayHaveChanged = answered.status < 400 || answered.status >= 500;
      if (principal && !reads && mayHaveChanged) await cache.invalidate(principal.organizationId);
      if (principal && !reads) await consistency.remember(principal, answered.headers['x-consistency-token']);
      return toResponse(answered);
    };
    // An upload's form is not validated here, which would read the whole body into memory: it streams on to the
    // region, which parses and validates it as it arrives.
    const contract = operation.upload
      ? { ...operation.route, request: { ...operation.route.request, body: undefined } }
      : operation.route;
    const route = needsPrincipal ? { ...contract, middleware: authenticated } : contract;
    app.openapi(route, handler as never);
  }

  // Registered after every operation, so it only answers what none of them matched: a known path with a method
  // it does not serve is the client's wrong method (405 and Allow), not a missing route.
  const methodsByPath = new Map<string, string[]>();
  for (const { route } of publicOperations) {
    const path = route.path.replace(/\{(\w+)\}/g, ':$1');
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), route.method.toUpperCase()]);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
    app.all(path, (c) => {
      c.header('Allow', allow);
      return envelope(c, 405, 'method_not_allowed', `${c.req.method} is not allowed here; use ${allow}`);
    });
  }
  return app;
}
