import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startQuerySpan } from '../../db/query-tracing.ts';
import { startRegionTracing } from './tracing.ts';

describe('region tracing switched off', () => {
  it('registers nothing without OTEL_EXPORTER_OTLP_ENDPOINT, and queries start no span', () => {
    expect(startRegionTracing({})).toBeUndefined();
    expect(trace.getTracerProvider().getTracer('x').startSpan('probe').isRecording()).toBe(false);
    expect(startQuerySpan('select')).toBeUndefined();
  });
});
