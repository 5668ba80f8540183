import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KV_MIN_TTL_SECONDS } from './cloudflare-kv.ts';
import { describeKeyValueStoreContract } from './contract.ts';
import type { KeyValueStore } from './key-value.ts';

/**
 * The adapter runs inside workerd (Miniflare), on a real Miniflare KV namespace, which enforces KV's limits (no
 * expirationTtl below 60 s, keys of at most 512 bytes); the contract drives it over fetch from here.
 */
let mf: Miniflare;
type KvLister<M> = {
  list(options: { prefix: string }): Promise<{ keys: { name: string; expiration?: number; metadata?: M }[] }>;
};

beforeAll(async () => {
  const bundled = await build({
    entryPoints: [new URL('../../test/runtime/kv-store-worker.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  mf = new Miniflare({
    modules: true,
    script: bundled.outputFiles[0]!.text,
    compatibilityDate: '2026-04-15',
    kvNamespaces: ['EDGE_KV'],
  });
  await mf.ready;
}, 60_000);
afterAll(() => mf?.dispose());

async function call<T>(path: string, params: Record<string, string>, body?: string): Promise<T> {
  const response = await mf.dispatchFetch(`http://kv.test${path}?${new URLSearchParams(params)}`, {
    method: body === undefined ? 'GET' : 'POST',
    body,
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const inWorkerd: KeyValueStore = {
  get: async (key) => (await call<{ value: string | null }>('/get', { key })).value,
  set: async (key, value, ttl) => {
    await call('/set', { key, ttl: String(ttl) }, value);
  },
  increment: async (key, ttl) => (await call<{ count: number }>('/increment', { key, ttl: String(ttl) })).count,
};

describeKeyValueStoreContract('CloudflareKvStore (inside workerd, Miniflare KV)', () => inWorkerd);

describe('CloudflareKvStore on KV', () => {
  it('keeps keys longer than KV allows, under their hash, apart from each other', async () => {
    const long = (n: number) => `c:org:gen:u:1:/api/v1/leads?q=${'x'.repeat(600)}${n}`;
    await inWorkerd.set(long(1), 'one', 60);
    await inWorkerd.set(long(2), 'two', 60);
    expect(await inWorkerd.get(long(1))).toBe('one');
    expect(await inWorkerd.get(long(2))).toBe('two');
  });

  it('tells KV at least its 60-second minimum and keeps the true expiry in the metadata', async () => {
    await inWorkerd.set('short-lived', 'v', 5);
    // Miniflare's KV proxy (typed with Workers types, which are not installed here): only `list` is read.
    const kv = (await mf.getKVNamespace('EDGE_KV')) as unknown as KvLister<{ expiresAt: number }>;
    const { keys } = await kv.list({ prefix: 'crm-test:short-lived' });
    expect(keys).toHaveLength(1);
    const [entry] = keys;
    const nowSeconds = Date.now() / 1000;
    expect(entry!.expiration! - nowSeconds).toBeGreaterThan(KV_MIN_TTL_SECONDS - 5);
    expect(entry!.metadata!.expiresAt / 1000 - nowSeconds).toBeLessThanOrEqual(5);
  });
});
