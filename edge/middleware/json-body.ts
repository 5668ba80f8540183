import type { Context, MiddlewareHandler, Next } from 'hono';
import { envelope } from '../../openapi/errors.ts';

const jsonType = /^application\/([\w.-]+\+)?json$/i;
const formType = /^application\/x-www-form-urlencoded$/i;

/**
 * Requests with a body must send JSON, and valid JSON: 415 and 400 in the envelope, before any route sees them.
 * The parsed body stays in Hono's body cache, so validators do not read the stream twice.
 */
export function jsonBody(
  options: { uploadRoute?: (c: Context) => boolean; formRoute?: (c: Context) => boolean } = {},
): MiddlewareHandler {
  return async function requireJsonBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    if (options.uploadRoute?.(c)) return requireMultipart(c, next);
    const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    // A route that takes a form (one-click unsubscribe) gets its bytes forwarded as they came, like an upload's.
    if (formType.test(contentType) && options.formRoute?.(c)) {
      await c.req.arrayBuffer();
      return next();
    }
    const text = await c.req.text();
    // No body is no body, whatever it is labelled (clients often send Content-Type on every request); a route
    // that needs one still refuses it when it validates.
    if (text.length === 0) return next();
    if (!jsonType.test(contentType)) {
      return envelope(c, 415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
    }
    try {
      JSON.parse(text);
    } catch {
      return envelope(c, 400, 'invalid_json', 'The request body is not valid JSON');
    }
    return next();
  };
}

const multipartType = /^multipart\/form-data$/i;

/**
 * Upload routes take multipart/form-data and nothing else. The body is not read here: it streams on to the region
 * untouched (forward.ts), which parses it.
 */
async function requireMultipart(c: Context, next: Next) {
  const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
  if (!multipartType.test(contentType)) {
    return envelope(c, 415, 'unsupported_media_type', 'Send the file as multipart/form-data');
  }
  return next();
}
