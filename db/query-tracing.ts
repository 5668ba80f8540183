import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { QueryOperation } from './query-timing.ts';

let enabled = false;

/** Called once tracing is set up (regions/ops/tracing.ts); until then a query costs one boolean test. */
export function enableQueryTracing(): void {
  enabled = true;
}

/**
 * A CLIENT span for one statement, a child of the request's span. None outside a traced request: the workers'
 * polling and the job queue's housekeeping would otherwise start a trace of their own every few hundred ms. Like
 * the timing, it names the statement's kind, never its text or parameters.
 */
export function startQuerySpan(operation: QueryOperation): Span | undefined {
  if (!enabled || !trace.getActiveSpan()) return undefined;
  return trace.getTracer('crm-db').startSpan(`db ${operation}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation.toUpperCase() },
  });
}

export function endQuerySpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : 'failed' });
  span.end();
}
