import type { Context } from 'hono';
import { ApiError, envelope } from '../openapi/errors.ts';
import { READ_REPLICAS_HEADER } from './protocol/consistency-token.ts';
import { isRead } from './protocol/methods.ts';
import type { Principal, RequestContext } from './protocol/principal.ts';
import { type SignedBody, signRequest } from './protocol/signature.ts';
import { signStreamedRequest } from './protocol/streamed-signature.ts';
import { type LimitedBody, limitedBody } from './streamed-body.ts';

/**
 * A region's answer. Its body is the region's own stream, handed on unread, so an export of a million rows passes
 * through the edge a chunk at a time (and bytes are never decoded); it is text only when the edge made the answer
 * itself (an error envelope) or the read cache read a small JSON body to keep it.
 */
export type Forwarded = {
  status: number;
  body: ReadableStream<Uint8Array> | string | null;
  headers: Record<string, string>;
  /**
   * What the region said of its read replicas (`X-Read-Replicas`, not relayed): whether it has any; absent when it
   * did not say (the edge's own answers, a region of an older release).
   */
  readReplicas?: boolean;
};

// last-event-id: where a reconnecting event stream (the notification stream) resumes.
const passRequestHeaders = ['content-type', 'if-match', 'if-none-match', 'idempotency-key', 'accept', 'last-event-id'];
const passResponseHeaders = [
  'content-type',
  'etag',
  'location',
  'idempotent-replayed',
  'possible-duplicates',
  'content-disposition',
  'cache-control',
  'vary',
  // When a refused sign-in may be tried again (429 too_many_attempts, regions/auth/lockout.ts).
  'retry-after',
  // An event stream asks any nginx in front of the edge not to buffer it.
  'x-accel-buffering',
  // Where a write left its shard's primary, for read-your-writes on replicas (edge/consistency.ts).
  'x-consistency-token',
];

/** A request body in JSON (or unlabelled) is sent on as text, as it always was; any other as bytes, never decoded. */
const isTextual = (contentType: string | null | undefined) =>
  !contentType || /^application\/([\w.-]+\+)?json\b/i.test(contentType);

export type RegionCaller = {
  /**
   * Sends the current request to a region, signed, and returns its answer with the body unread (a 503/504 envelope
   * if it is unreachable or slow to start answering). The client's leaving cancels the call, mid-body too.
   */
  forward(c: Context, region: string, principal?: Principal, extraHeaders?: Record<string, string>): Promise<Forwarded>;
  /** A signed internal call made by the edge itself (directory lookups, API-key resolution). */
  call<T>(c: Context, region: string, path: string, body: unknown): Promise<{ status: number; data: T }>;
};

export function createRegionCaller(options: {
  regions: Record<string, string>;
  key: Promise<CryptoKey>;
  fetch: typeof fetch;
  clientIp: (c: Context) => string | undefined;
  timeoutMs?: number;
  /**
   * The byte limit of a request whose body is forwarded as it arrives, unread and unsigned (the upload routes; see
   * protocol/streamed-signature.ts), or null for one that is read, signed and sent whole.
   */
  streamedLimit?: (c: Context) => number | null;
  /** W3C trace context for the region (`traceparent`) when tracing is on (edge/ops/tracing.ts). */
  traceHeaders?: (c: Context) => Record<string, string>;
}): RegionCaller {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const traced = (c: Context, headers: Headers) => {
    for (const [name, value] of Object.entries(options.traceHeaders?.(c) ?? {})) headers.set(name, value);
    return headers;
  };

  const contextOf = (c: Context, principal?: Principal): RequestContext => ({
    requestId: c.get('requestId' as never) as string,
    ...(principal ? { principal } : {}),
    clientIp: options.clientIp(c),
    userAgent: c.req.header('user-agent')?.slice(0, 500),
  });

  async function send(
    region: string,
    method: string,
    pathAndQuery: string,
    body: SignedBody,
    headers: Headers,
    context: RequestContext,
    signal: AbortSignal,
  ) {
    const base = options.regions[region];
    if (!base) throw new Error(`no URL for region ${region}`);
    const signed = await signRequest(await options.key, { method, pathAndQuery, body, context });
    for (const [name, value] of Object.entries(signed)) headers.set(name, value);
    return options.fetch(new URL(pathAndQuery, base), {
      method,
      headers,
      body: (typeof body === 'string' ? body.length : body.byteLength) ? (body as BodyInit) : undefined,
      signal,
    });
  }

  /** Sends an upload's body on while it arrives, counted against `limit`, under a streamed signature. */
  async function sendStreamed(
    c: Context,
    region: string,
    body: LimitedBody,
    headers: Headers,
    context: RequestContext,
    signal: AbortSignal,
  ) {
    const base = options.regions[region];
    if (!base) throw new Error(`no URL for region ${region}`);
    const url = new URL(c.req.url);
    const declared = c.req.header('content-length');
    const signed = await signStreamedRequest(await options.key, {
      method: c.req.method,
      pathAndQuery: url.pathname + url.search,
      context,
      contentType: headers.get('content-type') ?? '',
      contentLength: declared && /^\d+$/.test(declared) ? Number(declared) : null,
    });
    for (const [name, value] of Object.entries(signed)) headers.set(name, value);
    // `duplex: 'half'` is what Node's fetch needs to send a stream (the request is written before the answer is
    // read); Deno and workerd stream a body without it and ignore it.
    const init = { method: c.req.method, headers, body: body.stream, signal, duplex: 'half' };
    return options.fetch(new URL(url.pathname + url.search, base), init as RequestInit);
  }

  /**
   * An upload: its body goes on as it arrives, never held whole. The region has the time limit to answer after the
   * last byte, and the upload itself may take as long as it keeps moving (the timer restarts with every chunk).
   * Past the byte limit the body fails mid-stream, which ends the region's request (it keeps nothing), and the
   * client gets the same 413 as one whose Content-Length said so up front.
   */
  async function forwardStreamed(c: Context, region: string, principal: Principal | undefined, limit: number) {
    const upstream = upstreamSignal(c.req.raw.signal, timeoutMs);
    const body = limitedBody(c.req.raw.body!, limit, upstream.touch);
    let response: Response;
    try {
      response = await sendStreamed(
        c,
        region,
        body,
        traced(c, requestHeaders(c)),
        contextOf(c, principal),
        upstream.signal,
      );
    } catch (error) {
      if (!body.exceeded()) return unanswered(c, region, error);
      return tooLarge(c, limit);
    } finally {
      upstream.answered();
    }
    // workerd ends a request body that failed as if it were complete, so the region may answer the cut form (400):
    // the client is told what happened, and the region kept nothing of a form that lacks its end.
    if (body.exceeded()) {
      await response.body?.cancel().catch(() => {});
      return tooLarge(c, limit);
    }
    return relayed(response);
  }

  async function tooLarge(c: Context, limit: number): Promise<Forwarded> {
    // The rest of the upload is never read, so the socket cannot carry another request.
    const res = envelope(c, 413, 'payload_too_large', `The body is larger than ${limit} bytes`);
    return {
      status: 413,
      body: await res.text(),
      headers: { 'content-type': 'application/json', connection: 'close' },
    };
  }

  return {
    async forward(c, region, principal, extraHeaders = {}) {
      const url = new URL(c.req.url);
      const method = c.req.method;
      const hasBody = !isRead(method);
      const limit = hasBody && c.req.raw.body ? (options.streamedLimit?.(c) ?? null) : null;
      if (limit !== null) return forwardStreamed(c, region, principal, limit);
      // Multipart uploads are forwarded (and signed) as the exact bytes received: a text round trip would
      // replace every invalid UTF-8 sequence of a binary file.
      const body = !hasBody
        ? ''
        : isTextual(c.req.header('content-type'))
          ? await c.req.text()
          : await c.req.arrayBuffer();
      const headers = traced(c, requestHeaders(c));
      for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
      const upstream = upstreamSignal(c.req.raw.signal, timeoutMs);
      let response: Response;
      try {
        response = await send(
          region,
          method,
          url.pathname + url.search,
          body,
          headers,
          contextOf(c, principal),
          upstream.signal,
        );
      } catch (error) {
        return unanswered(c, region, error);
      } finally {
        upstream.answered();
      }
      return relayed(response);
    },

    async call(c, region, path, payload) {
      const body = JSON.stringify(payload);
      const headers = traced(c, new Headers({ 'content-type': 'application/json' }));
      // The edge's own lookups (directory, API keys) fail like a forwarded request would: 503/504 in the envelope,
      // not a 500 that blames the edge for a region being down.
      try {
        // Its answer is read here, within the same time limit as the call itself.
        const response = await send(region, 'POST', path, body, headers, contextOf(c), AbortSignal.timeout(timeoutMs));
        if (response.status >= 500) throw new Error(`answered ${response.status}`);
        return { status: response.status, data: (await response.json()) as never };
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError') {
          throw new ApiError(504, 'region_timeout', `Region ${region} did not answer in time`);
        }
        throw new ApiError(503, 'region_unavailable', `Region ${region} is unavailable; try again shortly`);
      }
    },
  };
}

function requestHeaders(c: Context): Headers {
  const headers = new Headers();
  for (const name of passRequestHeaders) {
    const value = c.req.header(name);
    if (value) headers.set(name, value);
  }
  return headers;
}

/** The 503/504 envelope for a region that could not be reached or did not start answering in time. */
async function unanswered(c: Context, region: string, error: unknown): Promise<Forwarded> {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  const res = timedOut
    ? envelope(c, 504, 'region_timeout', `Region ${region} did not answer in time`)
    : envelope(c, 503, 'region_unavailable', `Region ${region} is unavailable; try again shortly`);
  return { status: res.status, body: await res.text(), headers: { 'content-type': 'application/json' } };
}

function relayed(response: Response): Forwarded {
  const out: Record<string, string> = {};
  for (const name of passResponseHeaders) {
    const value = response.headers.get(name);
    if (value) out[name] = value;
  }
  // The length stays true only of the bytes as sent; a fetch that decoded them would make it a lie.
  const length = response.headers.get('content-length');
  if (length && !response.headers.has('content-encoding')) out['content-length'] = length;
  const replicas = response.headers.get(READ_REPLICAS_HEADER);
  const readReplicas = replicas === '1' ? true : replicas === '0' ? false : undefined;
  return {
    status: response.status,
    body: response.body,
    headers: out,
    ...(readReplicas === undefined ? {} : { readReplicas }),
  };
}

/**
 * Ends the region call when the client goes away before the region answers (so a slow report is not computed for
 * nobody), or when the region has not answered within the time limit. Once the answer has started, neither
 * applies: a long export may stream for as long as it takes, and a client leaving mid-body makes the runtime
 * cancel the body it was sending, which is the region's own stream, and so the region's call.
 */
function upstreamSignal(client: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  const timeout = () => controller.abort(new DOMException('the region did not answer in time', 'TimeoutError'));
  let timer = setTimeout(timeout, timeoutMs);
  let done = false;
  const clientGone = () => controller.abort(client?.reason);
  if (client?.aborted) clientGone();
  else client?.addEventListener('abort', clientGone, { once: true });
  return {
    signal: controller.signal,
    /** An upload moved: the region's time to answer counts from its last byte. */
    touch: () => {
      if (done || controller.signal.aborted) return;
      clearTimeout(timer);
      timer = setTimeout(timeout, timeoutMs);
    },
    answered: () => {
      done = true;
      clearTimeout(timer);
      client?.removeEventListener('abort', clientGone);
    },
  };
}

export function toResponse(forwarded: Forwarded, extra: Record<string, string> = {}): Response {
  const { status, body } = forwarded;
  const headers: Record<string, string> = { ...forwarded.headers, ...extra };
  // A body the edge holds as text is measured again by the runtime; only a relayed stream keeps the region's length.
  if (typeof body === 'string') delete headers['content-length'];
  if (status === 204 || status === 304) {
    // No body may follow, and an unread stream would hold the region's connection open.
    if (body && typeof body !== 'string') body.cancel().catch(() => {});
    return new Response(null, { status, headers });
  }
  return new Response(body, { status, headers });
}
