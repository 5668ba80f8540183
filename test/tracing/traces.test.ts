import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeTracing, type EdgeTracing } from '../../edge/ops/tracing.ts';
import { flushRegionTracing } from '../../regions/ops/tracing.ts';
import { apiClient } from '../support/api.ts';
import { type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * One request through edge → region → database, traced with OpenTelemetry and exported over OTLP/HTTP to a tiny
 * receiver: every span of it shares one trace id, the region's span is the edge's child (W3C traceparent on the
 * forward), and the database queries are the region's children.
 */
/** OTLP's own numbering of span kinds (SPAN_KIND_SERVER), which is not the API's `SpanKind` enum. */
const OTLP_SERVER = 2;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let stack: TestStack;
let tracing: EdgeTracing;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // The regions read it as they open (regions/ops/tracing.ts); the edge is given its tracing, as edge/config.ts would.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  tracing = createEdgeTracing({ endpoint: receiver.url });
  stack = await startTestStack({ regions: ['us'], edge: { tracing } });
  api = apiClient(stack.edgeUrl);
}, 300_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
});

const flush = () => Promise.all([tracing.flush(), flushRegionTracing()]);

describe('distributed traces', () => {
  it('gives one request one trace, with spans from the edge, the region and the database', async () => {
    const { token } = await api.signup('traced');
    // The edge fetches the region's keys on the first authenticated call: that warm-up is its own request.
    expect((await api.call('GET', '/api/v1/me', { token })).status).toBe(200);
    await flush();
    receiver.clear();

    const reply = await api.call('GET', '/api/v1/leads?limit=7', { token });
    expect(reply.status).toBe(200);
    const requestId = reply.headers.get('x-request-id');
    await flush();

    const spans: ReceivedSpan[] = [...receiver.spans];
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const byService = (name: string) => spans.filter((s) => s.service === name);
    const [edge] = byService('crm-edge');
    expect(byService('crm-edge')).toHaveLength(1);
    expect(edge).toMatchObject({ kind: OTLP_SERVER, name: 'GET /api/v1/leads', parentSpanId: undefined });
    expect(edge!.attributes).toMatchObject({ 'crm.request_id': requestId, 'http.response.status_code': 200 });

    const region = byService('crm-region').filter((s) => s.kind === OTLP_SERVER);
    expect(region).toHaveLength(1);
    expect(region[0]).toMatchObject({ parentSpanId: edge!.spanId, name: 'GET /api/v1/leads' });
    expect(region[0]!.attributes).toMatchObject({ 'crm.region': 'us', 'http.response.status_code': 200 });

    const queries = byService('crm-region').filter((s) => s.name.startsWith('db '));
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.map((q) => q.attributes['db.system.name'])).toEqual(queries.map(() => 'postgresql'));
    expect(queries.some((q) => q.name === 'db select')).toBe(true);
    expect(queries.every((q) => q.parentSpanId === region[0]!.spanId)).toBe(true);
  });
});
