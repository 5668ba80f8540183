import { describe, expect, it } from 'vitest';
import { CloudflareKvStore, type KvNamespace } from './cloudflare-kv.ts';
import { storeFromBindings } from './select.ts';
import { UpstashStore } from './upstash.ts';

const kv: KvNamespace = { getWithMetadata: async () => ({ value: null, metadata: null }), put: async () => {} };

describe('storeFromBindings', () => {
  it('leaves the in-memory default when nothing is configured', () => {
    expect(storeFromBindings({ REGIONS: 'us=http://x' })).toBeUndefined();
  });

  it('picks a bound KV namespace first, then Upstash', () => {
    expect(
      storeFromBindings({ EDGE_KV: kv, UPSTASH_REDIS_REST_URL: 'https://u', UPSTASH_REDIS_REST_TOKEN: 't' }),
    ).toBeInstanceOf(CloudflareKvStore);
    expect(
      storeFromBindings({ UPSTASH_REDIS_REST_URL: 'https://u.example', UPSTASH_REDIS_REST_TOKEN: 't' }),
    ).toBeInstanceOf(UpstashStore);
  });

  it('refuses half a setting or a binding that is not KV', () => {
    expect(() => storeFromBindings({ UPSTASH_REDIS_REST_URL: 'https://u.example' })).toThrow(/set together/);
    expect(() => storeFromBindings({ UPSTASH_REDIS_REST_TOKEN: 't' })).toThrow(/set together/);
    expect(() => storeFromBindings({ EDGE_KV: 'a string var' })).toThrow(/KV namespace binding/);
  });
});
