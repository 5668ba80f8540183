import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../../test/support/stack.ts';
import { createEdgeApp } from '../app.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

/** A sample's value from the exposition, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the edge /metrics', () => {
  it('counts read-cache hits and misses and exports the hit rate, to a scraper on this machine', async () => {
    const before = await api.call('GET', '/metrics');
    expect(before.status).toBe(200);
    expect(before.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const hits = sample(before.data, 'edge_cache_requests_total{result="hit"}')!;
    const misses = sample(before.data, 'edge_cache_requests_total{result="miss"}')!;

    const { token } = await api.signup('edge-metrics');
    const first = await api.call('GET', '/api/v1/leads', { token });
    const second = await api.call('GET', '/api/v1/leads', { token });
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['miss', 'hit']);

    const after = await api.call('GET', '/metrics');
    expect(sample(after.data, 'edge_cache_requests_total{result="hit"}')).toBe(hits + 1);
    expect(sample(after.data, 'edge_cache_requests_total{result="miss"}')).toBe(misses + 1);
    const rate = sample(after.data, 'cache_hit_rate')!;
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThanOrEqual(1);
    expect(sample(after.data, 'edge_http_requests_total{method="GET",status="200"}')).toBeGreaterThanOrEqual(3);
  });

  it('refuses other callers, or wants the token when one is set', async () => {
    const options = {
      regions: stack.regionUrls,
      defaultRegion: Object.keys(stack.regionUrls)[0]!,
      sharedSecret: TEST_SECRET,
      clientIp: () => '203.0.113.9',
    };
    const open = createEdgeApp(options);
    const refused = await open.request('/metrics');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');

    const token = 'a-monitoring-token-0123456789abcdef';
    const guarded = createEdgeApp({ ...options, clientIp: () => '127.0.0.1', ops: { metricsToken: token } });
    // Once a token is set, even this machine presents it.
    const missing = await guarded.request('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const wrong = await guarded.request('/metrics', { headers: { authorization: `Bearer ${token.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
    const right = await guarded.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('# TYPE edge_http_requests_total counter');
  });
});
