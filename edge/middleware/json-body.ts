import type { MiddlewareHandler } from 'hono';
import { envelope } from '../../openapi/errors.ts';

const jsonType = /^application\/([\w.-]+\+)?json$/i;

/**
 * Requests with a body must send JSON, and valid JSON: 415 and 400 in the envelope, before any route sees them.
 * The parsed body stays in Hono's body cache, so validators do not read the stream twice.
 */
export function jsonBody(): MiddlewareHandler {
  return async function requireJsonBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const text = await c.req.text();
    const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
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
