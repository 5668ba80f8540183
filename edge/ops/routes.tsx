import type { Context, Hono } from 'hono';
import { envelope } from '../../openapi/errors.ts';
import { StatusPage } from '../../web/components/status.tsx';
import { renderPage } from '../../web/render.tsx';
import type { EdgeMetrics } from './metrics.ts';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text.ts';
import type { StatusReport } from './status.ts';

// biome-ignore lint/suspicious/noExplicitAny: the edge app's own Env type is private to it.
type AnyHono = Hono<any, any, any>;

export type OpsRouteOptions = {
  metrics: EdgeMetrics;
  status: () => Promise<StatusReport>;
  statusCacheSeconds: number;
  /** `EDGE_METRICS_TOKEN`: when set, `/metrics` wants it as a Bearer token; unset, only loopback callers get in. */
  metricsToken?: string;
  clientIp: (c: Context) => string | undefined;
};

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Compares without stopping at the first difference, so the time taken says nothing about the token. */
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i] ?? 0) ^ b[i]!;
  return difference === 0;
}

/**
 * The edge's operations routes: `/metrics` for Prometheus (protected: see OpsRouteOptions.metricsToken) and the
 * public status page, `/status` (HTML, no script) and `/status.json`, which always answer 200 with what the
 * probes found, whatever state the regions are in.
 */
export function mountOpsRoutes(app: AnyHono, options: OpsRouteOptions) {
  app.get('/metrics', (c) => {
    if (options.metricsToken) {
      const header = c.req.header('authorization') ?? '';
      const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      if (!sameSecret(token, options.metricsToken)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        return envelope(c, 401, 'unauthorized', 'The metrics need the monitoring token');
      }
    } else if (!loopback.has(options.clientIp(c) ?? '')) {
      return envelope(c, 403, 'forbidden', 'The metrics are served to this machine only (or set EDGE_METRICS_TOKEN)');
    }
    return c.body(options.metrics.render(), 200, {
      'content-type': PROMETHEUS_CONTENT_TYPE,
      'cache-control': 'no-store',
    });
  });

  const cacheControl = `public, max-age=${options.statusCacheSeconds}`;
  app.get('/status.json', async (c) => c.json(await options.status(), 200, { 'cache-control': cacheControl }));
  app.get('/status', async (c) => {
    const report = await options.status();
    const body = <StatusPage report={report} refreshSeconds={options.statusCacheSeconds} />;
    return c.html(renderPage({ title: 'Status', me: null, csrf: '', path: '/status', body }), 200, {
      'cache-control': cacheControl,
    });
  });
}
