import { context, defaultTextMapGetter, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { MiddlewareHandler } from 'hono';
import { enableQueryTracing } from '../../db/query-tracing.ts';
import { describeServerSpan } from '../../edge/ops/server-span.ts';

type Env = Record<string, string | undefined>;
let provider: TracerProvider | undefined;

/**
 * The region's traces through the Node SDK: an AsyncLocalStorage context (so a query finds its request's span
 * however deep it runs), W3C trace context, and the OTLP/HTTP exporter, which reads the standard variables itself
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `…_TRACES_ENDPOINT`, `…_HEADERS`, `…_TIMEOUT`). Only when
 * OTEL_EXPORTER_OTLP_ENDPOINT (or the traces one) is set; unset, nothing is registered and every hook is one test.
 * Process-wide (the API's globals), so the first region opened in a process sets it up for all of them.
 */
export function startRegionTracing(env: Env): TracerProvider | undefined {
  if (provider) return provider;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'crm-region' }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: 1000 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  enableQueryTracing();
  return provider;
}

/** Sends the spans still waiting in the batch (a region closing; tests). */
export async function flushRegionTracing(): Promise<void> {
  await provider?.forceFlush();
}

/**
 * A SERVER span per request, continuing the edge's trace from its `traceparent`, active while the request runs so
 * the database spans (db/query-tracing.ts) become its children. Named by the route's pattern, never the URL.
 */
export function traceRegionRequests(region: string): MiddlewareHandler {
  return async function traceRequest(c, next) {
    if (!provider) return next();
    const parent = propagation.extract(ROOT_CONTEXT, Object.fromEntries(c.req.raw.headers), defaultTextMapGetter);
    const span = trace
      .getTracer('crm-region')
      .startSpan(
        c.req.method,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'crm.region': region } },
        parent,
      );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (error) {
      span.recordException(error as Error);
      throw error;
    } finally {
      describeServerSpan(span, c);
      span.end();
    }
  };
}
