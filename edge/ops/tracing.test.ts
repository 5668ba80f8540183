import { describe, expect, it } from 'vitest';
import { edgeOptionsFromEnv } from '../config.ts';
import { parseOtlpHeaders } from './tracing.ts';

const base = { REGIONS: 'us=http://127.0.0.1:1', EDGE_SHARED_SECRET: 'x'.repeat(32) };

describe('edge tracing settings', () => {
  it('is off, with nothing created, when OTEL_EXPORTER_OTLP_ENDPOINT is unset', () => {
    expect(edgeOptionsFromEnv(base).tracing).toBeUndefined();
    expect(edgeOptionsFromEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: '' }).tracing).toBeUndefined();
  });

  it('is on with an endpoint, and refuses one that is not a URL', () => {
    expect(edgeOptionsFromEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing).toBeDefined();
    expect(() => edgeOptionsFromEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /http\(s\) URL/,
    );
  });

  it('reads OTEL_EXPORTER_OTLP_HEADERS as the specification writes it', () => {
    expect(parseOtlpHeaders('api-key=abc%3D%3D, x-team = crm ,broken')).toEqual({
      'api-key': 'abc==',
      'x-team': 'crm',
    });
    expect(parseOtlpHeaders(undefined)).toEqual({});
  });
});
