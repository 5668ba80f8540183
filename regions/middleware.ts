import type { Context, MiddlewareHandler } from 'hono';
import { isRead } from '../edge/protocol/methods.ts';
import type { RequestContext } from '../edge/protocol/principal.ts';
import { ReplayGuard } from '../edge/protocol/replay-guard.ts';
import { verifyRequest } from '../edge/protocol/signature.ts';
import { isStreamedRequest, verifyStreamedRequest } from '../edge/protocol/streamed-signature.ts';
import { envelope } from '../openapi/errors.ts';
import { uploadKindOf } from '../openapi/uploads.ts';
import type { RegionContext } from './context.ts';
import { exactLength } from './storage/streams.ts';
import type { RegionEnv } from './support/actor.ts';

/** One per region context (the process's region), shared by every mount of the middleware. */
const replayGuards = new WeakMap<RegionContext, ReplayGuard>();

/** What the body check asks of a request: a stream the region reads itself (uploads), or bytes it verified. */
const streamedBodies = new WeakMap<Request, ReadableStream<Uint8Array>>();

/**
 * Only requests signed by the edge (or a peer region) get in; a direct, unsigned call gets 401.
 *
 * Two forms (see edge/protocol/streamed-signature.ts). Most requests are signed over their whole body, which is
 * read here to check it. An upload streams from the edge unsigned-by-body: it is accepted on the upload routes
 * only, its nonce once (a replay is 401), and its body is left unread for the route to parse as it arrives, held
 * to the length the edge signed.
 */
export function edgeSignature(ctx: RegionContext): MiddlewareHandler<RegionEnv> {
  const guard = replayGuards.get(ctx) ?? new ReplayGuard();
  replayGuards.set(ctx, guard);
  return async function edgeSignatureCheck(c, next) {
    const url = new URL(c.req.url);
    const pathAndQuery = url.pathname + url.search;
    const refuse = (reason: string) => {
      c.set('requestId', crypto.randomUUID());
      return envelope(c, 401, 'unsigned_request', `Regions answer only signed calls from the edge (${reason})`);
    };
    let context: RequestContext;
    if (isStreamedRequest(c.req.raw.headers)) {
      const result = await verifyStreamedRequest(ctx.signingSecret, {
        method: c.req.method,
        pathAndQuery,
        headers: c.req.raw.headers,
        uploadRoute: url.pathname.startsWith('/api/') && uploadKindOf(c.req.method, url.pathname) !== null,
      });
      if (!result.ok) return refuse(result.reason);
      if (!guard.accept(result.nonce, result.expiresAt)) return refuse('replayed signature');
      const body = c.req.raw.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
      streamedBodies.set(c.req.raw, exactLength(body, result.contentLength));
      context = result.context;
    } else {
      const hasBody = !isRead(c.req.method);
      // Uploads are verified (and later parsed) as the bytes received; read as text first, Hono would hand the
      // form parser a re-encoded copy with every invalid UTF-8 sequence of a binary file replaced.
      const bytes =
        hasBody && !/^application\/([\w.-]+\+)?json\b/i.test(c.req.header('content-type') ?? 'application/json');
      const body = !hasBody ? '' : bytes ? await c.req.arrayBuffer() : await c.req.text();
      const result = await verifyRequest(ctx.signingSecret, {
        method: c.req.method,
        pathAndQuery,
        body,
        headers: c.req.raw.headers,
      });
      if (!result.ok) return refuse(result.reason);
      context = result.context;
    }
    c.set('requestId', context.requestId);
    const { principal } = context;
    const live = principal ? await ctx.principals.refresh(principal, url.pathname) : undefined;
    c.set('request', live ? { ...context, principal: live } : context);
    await next();
  };
}

/**
 * The body of an upload as a stream: the streamed one as it arrives, or (a request signed over its whole body,
 * which was read to check it) those bytes.
 */
export async function uploadBodyOf(c: Context<RegionEnv>): Promise<ReadableStream<Uint8Array>> {
  const streamed = streamedBodies.get(c.req.raw);
  if (streamed) return streamed;
  return new Blob([await c.req.arrayBuffer()]).stream();
}

/**
 * An upload's size check before its body is read: a declared Content-Length over the limit is 413 at once. Hono's
 * bodyLimit would instead read a body sent without one (every upload the edge streams) into memory to count it;
 * such a body is counted while it is parsed (attachments/multipart.ts), against the same limit.
 */
export function uploadBodyLimit(maxSize: number): MiddlewareHandler<RegionEnv> {
  return async function limitUploadBody(c, next) {
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding') && Number(declared) > maxSize) {
      // The unread rest of the upload leaves the socket unusable for another request.
      c.header('Connection', 'close');
      return envelope(c, 413, 'payload_too_large', `The body is larger than ${maxSize} bytes`);
    }
    await next();
  };
}

/** Probes and scrapes: logged at debug, so a load balancer's health checks do not drown the request log. */
const quietRoutes = new Set(['/health', '/ready', '/metrics']);

/**
 * Times every request by its route pattern, not its URL, so ids do not explode the label set, and writes one log
 * line per request: request id, organization (when a principal is known), route pattern, method, status and
 * duration (the region comes from the context's logger). Never the URL's values, headers or body: personal data
 * and tokens travel there.
 */
export function requestTimer(ctx: RegionContext): MiddlewareHandler<RegionEnv> {
  return async function timeRequest(c, next) {
    const started = performance.now();
    const end = ctx.metrics.httpDuration.startTimer();
    await next();
    const route = c.req.routePath;
    const status = c.res.status;
    end({ method: c.req.method, route, status: String(status) });
    const line = {
      requestId: c.get('requestId') ?? null,
      organizationId: c.get('request')?.principal?.organizationId,
      route,
      method: c.req.method,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (quietRoutes.has(route)) ctx.log.debug(line, 'request');
    else if (status >= 500) ctx.log.error(line, 'request');
    else ctx.log.info(line, 'request');
  };
}
