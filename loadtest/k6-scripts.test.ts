import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The k6 binary is not installed here, so the scripts are loaded with a small fake of k6's modules: each must be
 * a valid ES module exporting `options` and a default function, its setup and one iteration must run against a
 * fake API, and it must ask for the requests the benchmark makes. Keeps them from rotting between load tests.
 */
type Sent = { method: string; url: string; body?: string; headers: Record<string, string> };
const sent: Sent[] = [];
const leads = [{ id: '0190a0a0-0000-7000-8000-000000000001' }, { id: '0190a0a0-0000-7000-8000-000000000002' }];

function answer(method: string, url: string, body?: string, params?: { headers?: Record<string, string> }) {
  sent.push({ method, url, ...(body === undefined ? {} : { body }), headers: params?.headers ?? {} });
  const data = { data: leads };
  return { status: method === 'POST' ? 201 : 200, json: (path?: string) => (path === 'data' ? leads : data) };
}

vi.mock('k6/http', () => ({
  default: {
    get: (url: string, params?: never) => answer('GET', url, undefined, params),
    post: (url: string, body: string, params?: never) => answer('POST', url, body, params),
    patch: (url: string, body: string, params?: never) => answer('PATCH', url, body, params),
  },
}));
vi.mock('k6', () => ({
  check: (value: unknown, checks: Record<string, (v: unknown) => boolean>) =>
    Object.values(checks).every((fn) => fn(value)),
  fail: (message: string) => {
    throw new Error(message);
  },
  sleep: () => {},
}));

const dir = fileURLToPath(new URL('.', import.meta.url));
const scripts = readdirSync(dir).filter((file) => file.endsWith('.js'));
const globals = globalThis as Record<string, unknown>;

beforeAll(() => {
  globals.__ENV = { BASE_URL: 'https://crm.example/', TOKEN: 'test-token' };
  globals.__VU = 1;
  globals.__ITER = 0;
});
afterAll(() => {
  for (const name of ['__ENV', '__VU', '__ITER']) delete globals[name];
});

describe('k6 load-test scripts', () => {
  it('covers every scenario of the API benchmark', () => {
    expect(scripts.sort()).toEqual([
      'analytics.js',
      'leads-create.js',
      'leads-get.js',
      'leads-list.js',
      'leads-update.js',
      'mixed.js',
      'search.js',
    ]);
  });

  it.each(scripts)('%s exports options with p95 thresholds and a default function that runs', async (file) => {
    const script = await import(/* @vite-ignore */ new URL(file, import.meta.url).href);
    expect(script.options).toBeTypeOf('object');
    expect(JSON.stringify(script.options.thresholds)).toMatch(/p\(95\)</);
    expect(script.default).toBeTypeOf('function');
    sent.length = 0;
    const data = script.setup?.();
    expect(data.ids).toEqual(leads.map((l) => l.id));
    for (let iteration = 0; iteration < 10; iteration++) {
      globals.__ITER = iteration;
      script.default(data);
    }
    const calls = sent.slice(1);
    expect(calls.length).toBe(10);
    for (const call of calls) {
      expect(call.url.startsWith('https://crm.example/api/v1/')).toBe(true);
      expect(call.headers.authorization).toBe('Bearer test-token');
      if (call.body) expect(() => JSON.parse(call.body!)).not.toThrow();
    }
  });

  it("mixed.js sends the benchmark's mix: one call in ten creates a lead", async () => {
    const script = await import('./mixed.js');
    sent.length = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      globals.__ITER = iteration;
      script.default({ ids: leads.map((l) => l.id) });
    }
    expect(sent.filter((call) => call.method === 'POST').length).toBe(10);
    expect(script.options.scenarios.users.preAllocatedVUs).toBe(1000);
    expect(script.options.scenarios.users.rate).toBe(100_000);
  });

  it('refuses to start without BASE_URL and TOKEN', async () => {
    vi.resetModules();
    globals.__ENV = {};
    const script = await import('./leads-list.js');
    expect(() => script.setup()).toThrow(/BASE_URL and TOKEN/);
    globals.__ENV = { BASE_URL: 'https://crm.example/', TOKEN: 'test-token' };
  });
});
