import type { MiddlewareHandler } from 'hono';
import { verifyRequest } from '../edge/protocol/signature.ts';
import { envelope } from '../openapi/errors.ts';
import type { RegionContext } from './context.ts';
import type { RegionEnv } from './support/actor.ts';

/** Only requests signed by the edge (or a peer region) get in; a direct, unsigned call gets 401. */
export function edgeSignature(ctx: RegionContext): MiddlewareHandler<RegionEnv> {
  return async function edgeSignatureCheck(c, next) {
    const url = new URL(c.req.url);
    const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    // Uploads are verified (and later parsed) as the bytes received; read as text first, Hono would hand the
    // form parser a re-encoded copy with every invalid UTF-8 sequence of a binary file replaced.
    const bytes =
      hasBody && !/^application\/([\w.-]+\+)?json\b/i.test(c.req.header('content-type') ?? 'application/json');
    const body = !hasBody ? '' : bytes ? await c.req.arrayBuffer() : await c.req.text();
    const result = await verifyRequest(ctx.signingSecret, {
      method: c.req.method,
      pathAndQuery: url.pathname + url.search,
      body,
      headers: c.req.raw.headers,
    });
    if (!result.ok) {
      c.set('requestId', crypto.randomUUID());
      return envelope(c, 401, 'unsigned_request', `Regions answer only signed calls from the edge (${result.reason})`);
    }
    c.set('requestId', result.context.requestId);
    const { principal } = result.context;
    c.set(
      'request',
      principal ? { ...result.context, principal: await ctx.principals.refresh(principal) } : result.context,
    );
    await next();
  };
}

/** Times every request by its route pattern, not its URL, so ids do not explode the label set. */
export function requestTimer(ctx: RegionContext): MiddlewareHandler<RegionEnv> {
  return async function timeRequest(c, next) {
    const end = ctx.metrics.httpDuration.startTimer();
    await next();
    end({ method: c.req.method, route: c.req.routePath, status: String(c.res.status) });
  };
}
