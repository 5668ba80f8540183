import type { Context } from 'hono';
import { ApiError, envelope } from '../openapi/errors.ts';
import type { Principal, RequestContext } from './protocol/principal.ts';
import { type SignedBody, signRequest } from './protocol/signature.ts';

/** A region's answer: JSON as text (what the cache stores), anything else (files, CSV) as the bytes it sent. */
export type Forwarded = { status: number; body: string | ArrayBuffer; headers: Record<string, string> };

const passRequestHeaders = ['content-type', 'if-match', 'if-none-match', 'idempotency-key', 'accept'];
const passResponseHeaders = [
  'content-type',
  'etag',
  'location',
  'idempotent-replayed',
  'possible-duplicates',
  'content-disposition',
];

/** JSON (and an unlabelled body) travels as text, as it always has; any other body as bytes, never decoded. */
const isTextual = (contentType: string | null | undefined) =>
  !contentType || /^application\/([\w.-]+\+)?json\b/i.test(contentType);

export type RegionCaller = {
  /** Sends the current request to a region, signed, and returns what it answered (or null if it is unreachable). */
  forward(c: Context, region: string, principal?: Principal): Promise<Forwarded>;
  /** A signed internal call made by the edge itself (directory lookups, API-key resolution). */
  call<T>(c: Context, region: string, path: string, body: unknown): Promise<{ status: number; data: T }>;
};

export function createRegionCaller(options: {
  regions: Record<string, string>;
  key: Promise<CryptoKey>;
  fetch: typeof fetch;
  clientIp: (c: Context) => string | undefined;
  timeoutMs?: number;
}): RegionCaller {
  const timeoutMs = options.timeoutMs ?? 15_000;

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
  ) {
    const base = options.regions[region];
    if (!base) throw new Error(`no URL for region ${region}`);
    const signed = await signRequest(await options.key, { method, pathAndQuery, body, context });
    for (const [name, value] of Object.entries(signed)) headers.set(name, value);
    return options.fetch(new URL(pathAndQuery, base), {
      method,
      headers,
      body: (typeof body === 'string' ? body.length : body.byteLength) ? (body as BodyInit) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  return {
    async forward(c, region, principal) {
      const url = new URL(c.req.url);
      const method = c.req.method;
      const hasBody = method !== 'GET' && method !== 'HEAD';
      // Multipart uploads are forwarded (and signed) as the exact bytes received: a text round trip would
      // replace every invalid UTF-8 sequence of a binary file.
      const body = !hasBody
        ? ''
        : isTextual(c.req.header('content-type'))
          ? await c.req.text()
          : await c.req.arrayBuffer();
      const headers = new Headers();
      for (const name of passRequestHeaders) {
        const value = c.req.header(name);
        if (value) headers.set(name, value);
      }
      let response: Response;
      try {
        response = await send(region, method, url.pathname + url.search, body, headers, contextOf(c, principal));
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        const res = timedOut
          ? envelope(c, 504, 'region_timeout', `Region ${region} did not answer in time`)
          : envelope(c, 503, 'region_unavailable', `Region ${region} is unavailable; try again shortly`);
        return { status: res.status, body: await res.text(), headers: { 'content-type': 'application/json' } };
      }
      const out: Record<string, string> = {};
      for (const name of passResponseHeaders) {
        const value = response.headers.get(name);
        if (value) out[name] = value;
      }
      const answer = isTextual(response.headers.get('content-type'))
        ? await response.text()
        : await response.arrayBuffer();
      return { status: response.status, body: answer, headers: out };
    },

    async call(c, region, path, payload) {
      const body = JSON.stringify(payload);
      const headers = new Headers({ 'content-type': 'application/json' });
      // The edge's own lookups (directory, API keys) fail like a forwarded request would: 503/504 in the envelope,
      // not a 500 that blames the edge for a region being down.
      try {
        const response = await send(region, 'POST', path, body, headers, contextOf(c));
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

export function toResponse(forwarded: Forwarded, extra: Record<string, string> = {}): Response {
  const status = forwarded.status;
  const nullBody = status === 204 || status === 304;
  return new Response(nullBody ? null : forwarded.body, { status, headers: { ...forwarded.headers, ...extra } });
}
