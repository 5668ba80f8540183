import { defaultTextMapSetter, ROOT_CONTEXT, type Span, SpanKind, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Context, MiddlewareHandler } from 'hono';
import { FetchSpanExporter } from './otlp-fetch-exporter.ts';
import { describeServerSpan } from './server-span.ts';

export type EdgeTracingOptions = {
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  /** `OTEL_EXPORTER_OTLP_HEADERS`, e.g. a collector's API key. */
  headers?: Record<string, string>;
  serviceName?: string;
  fetch?: typeof fetch;
};

export type EdgeTracing = {
  /** One SERVER span per request; on Workers its export is handed to `waitUntil`, so it outlives the response. */
  middleware: MiddlewareHandler;
  /** The W3C `traceparent` (and `tracestate`) naming this request's span, for each call to a region. */
  headersFor(c: Context): Record<string, string>;
  /** Sends every finished span now (tests; a Node edge shutting down). */
  flush(): Promise<void>;
};

/** `k=v,k2=v2` (values URL-encoded), as the OpenTelemetry specification writes `OTEL_EXPORTER_OTLP_HEADERS`. */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

/**
 * The edge's traces, Web standards only: the SDK's tracer provider and batch processor, W3C trace context, and an
 * OTLP/HTTP JSON exporter over fetch. There is no async context on workerd without nodejs_compat, so the request's
 * span is found by its Hono context rather than from an ambient context. A trace starts at the edge: a client's
 * own `traceparent` is not trusted as a parent.
 */
export function createEdgeTracing(options: EdgeTracingOptions): EdgeTracing {
  if (!/^https?:\/\/\S+$/.test(options.endpoint)) throw new Error('OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL');
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'crm-edge' }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new FetchSpanExporter(url, options.headers, options.fetch),
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  const tracer = provider.getTracer('crm-edge');
  const propagator = new W3CTraceContextPropagator();
  // Keyed by Hono's per-request Context: middleware may replace `c.req.raw` (a body limit wraps the body).
  const spans = new WeakMap<Context, Span>();

  const middleware: MiddlewareHandler = async (c, next) => {
    const span = tracer.startSpan(`${c.req.method}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': c.req.method, 'crm.tier': 'edge' },
    });
    spans.set(c, span);
    try {
      await next();
    } catch (error) {
      span.recordException(error as Error);
      throw error;
    } finally {
      describeServerSpan(span, c);
      const requestId = c.get('requestId' as never) as string | undefined;
      if (requestId) span.setAttribute('crm.request_id', requestId);
      const cache = c.res.headers.get('x-cache');
      if (cache) span.setAttribute('crm.cache', cache);
      span.end();
      // A Worker's pending work is cut when it has answered, unless handed to waitUntil; elsewhere (Node, Deno) the
      // batch goes out on its timer. `executionCtx` throws where the runtime has none.
      let workers: { waitUntil(promise: Promise<unknown>): void } | undefined;
      try {
        workers = c.executionCtx;
      } catch {
        workers = undefined;
      }
      workers?.waitUntil(provider.forceFlush().catch(() => {}));
    }
  };

  return {
    middleware,
    headersFor(c) {
      const span = spans.get(c);
      if (!span) return {};
      const carrier: Record<string, string> = {};
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
      return carrier;
    },
    flush: () => provider.forceFlush(),
  };
}
