import { type Span, SpanStatusCode } from '@opentelemetry/api';
import type { Context } from 'hono';

/**
 * What every tier records on its server span once the request is answered: the route's pattern, never the URL
 * (paths carry ids and queries carry filters), the status, and an error status for a 5xx. The edge and the region
 * both call it, so their spans read alike.
 */
export function describeServerSpan(span: Span, c: Context): void {
  const route = c.req.routePath;
  if (route && route !== '*' && route !== '/*') span.updateName(`${c.req.method} ${route}`);
  span.setAttribute('http.route', route);
  span.setAttribute('http.response.status_code', c.res.status);
  if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
}
