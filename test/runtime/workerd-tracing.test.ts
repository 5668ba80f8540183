import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { flushRegionTracing } from '../../regions/ops/tracing.ts';
import { buildEdgeWorker } from '../../scripts/build-edge.ts';
import { type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';

/**
 * The edge bundle in workerd with OTEL_EXPORTER_OTLP_ENDPOINT bound: its spans leave the Worker over fetch (handed to
 * waitUntil, since the isolate's work ends with the answer) and the region continues its trace from `traceparent`.
 */
const OTLP_SERVER = 2;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let stack: TestStack;
let mf: Miniflare;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  const [started, bundle] = await Promise.all([startTestStack({ regions: ['us'] }), buildEdgeWorker({ write: false })]);
  stack = started;
  mf = new Miniflare({
    modules: true,
    script: bundle.code,
    compatibilityDate: '2026-04-15',
    bindings: {
      REGIONS: `us=${stack.regionUrls.us}`,
      EDGE_SHARED_SECRET: TEST_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'crm-edge-workerd',
    },
  });
  await mf.ready;
}, 300_000);
afterAll(async () => {
  await mf?.dispose();
  await stack?.stop();
  await receiver?.close();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
});

describe('traces from the edge in workerd', () => {
  it('exports the Worker’s span over OTLP and the region’s span joins its trace', async () => {
    const id = `workerd-trace-${Date.now().toString(36)}`;
    const signup = await mf.dispatchFetch('https://edge.test/api/v1/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organization: `Org ${id}`, email: `${id}@example.com`, password: `Corr3ct-Horse-${id}!` }),
    });
    expect(signup.status).toBe(201);
    const requestId = signup.headers.get('x-request-id');
    await signup.text();

    let edge: ReceivedSpan | undefined;
    await vi.waitFor(
      () => {
        edge = receiver.spans.find(
          (s) => s.service === 'crm-edge-workerd' && s.attributes['crm.request_id'] === requestId,
        );
        expect(edge).toBeDefined();
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(edge).toMatchObject({ kind: OTLP_SERVER, name: 'POST /api/v1/auth/signup', parentSpanId: undefined });
    await flushRegionTracing();
    const region = receiver.spans.find((s) => s.service === 'crm-region' && s.parentSpanId === edge!.spanId);
    expect(region, JSON.stringify(receiver.spans.filter((s) => s.service === 'crm-region').slice(0, 5))).toMatchObject({
      traceId: edge!.traceId,
      kind: OTLP_SERVER,
      name: 'POST /api/v1/auth/signup',
    });
    const queries = receiver.spans.filter((s) => s.parentSpanId === region!.spanId && s.name.startsWith('db '));
    expect(queries.some((q) => q.name === 'db insert')).toBe(true);
  });
});
