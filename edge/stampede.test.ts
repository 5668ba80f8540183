import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../test/support/api.ts';
import { startTestStack, type TestStack } from '../test/support/stack.ts';

/**
 * Stampede protection (edge/response-cache.ts): concurrent misses of one key in an edge process make one region
 * call. The edge's fetch is wrapped to count (and slow down, so the requests truly overlap) its calls to a region.
 */
const N = 25;
const regionCalls: string[] = [];
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

const countingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (request.method === 'GET' && url.pathname.startsWith('/api/v1/leads')) {
    regionCalls.push(url.pathname + url.search);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return fetch(input, init);
};

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'], edge: { fetch: countingFetch, cacheTtlSeconds: 30 } });
  api = apiClient(stack.edgeUrl);
}, 300_000);
afterAll(() => stack?.stop());

const burst = (token: string, path: string) =>
  Promise.all(Array.from({ length: N }, () => api.call('GET', path, { token })));

describe('the read cache under a stampede', () => {
  it('answers N concurrent identical GETs with one region call, every client the same answer', async () => {
    const { token } = await api.signup('stampede');
    await api.call('POST', '/api/v1/leads', { token, body: { firstName: 'Ada', lastName: 'Lovelace' } });
    regionCalls.length = 0;
    const replies = await burst(token, '/api/v1/leads?limit=10');
    // On failure, what each client got: a region slower than the edge's 15 s limit (a starved machine) answers 504,
    // which is not kept and so not shared.
    const seen = JSON.stringify(replies.map((r) => [r.status, r.headers.get('x-cache')]));
    expect(
      replies.map((r) => r.status),
      seen,
    ).toEqual(Array(N).fill(200));
    expect(regionCalls, seen).toEqual(['/api/v1/leads?limit=10']);
    expect(new Set(replies.map((r) => JSON.stringify(r.data))).size).toBe(1);
    const states = replies.map((r) => r.headers.get('x-cache')).sort();
    expect(states).toEqual([...Array(N - 1).fill('hit'), 'miss']);
  });

  it('calls once more after a write invalidates, and once per principal', async () => {
    const { token } = await api.signup('stampede-write');
    await burst(token, '/api/v1/leads');
    regionCalls.length = 0;
    await api.call('POST', '/api/v1/leads', { token, body: { firstName: 'Grace', lastName: 'Hopper' } });
    const other = await api.signup('stampede-other');
    const [mine, theirs] = await Promise.all([burst(token, '/api/v1/leads'), burst(other.token, '/api/v1/leads')]);
    expect(regionCalls).toEqual(['/api/v1/leads', '/api/v1/leads']);
    expect((mine[0]!.data.data as unknown[]).length).toBe(1);
    expect((theirs[0]!.data.data as unknown[]).length).toBe(0);
  });
});
