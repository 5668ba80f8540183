import { describe, expect, it } from 'vitest';
import { createConsistencyTokens } from './consistency.ts';
import type { Principal } from './protocol/principal.ts';
import type { KeyValueStore } from './store/key-value.ts';
import { MemoryStore } from './store/memory.ts';

/** The edge's memory store, counting the reads that would each be a Redis round trip. */
class CountingStore implements KeyValueStore {
  reads = 0;
  private readonly inner = new MemoryStore();
  get(key: string) {
    this.reads++;
    return this.inner.get(key);
  }
  set(key: string, value: string, ttlSeconds: number) {
    return this.inner.set(key, value, ttlSeconds);
  }
  increment(key: string, ttlSeconds: number) {
    return this.inner.increment(key, ttlSeconds);
  }
}

const principal: Principal = {
  type: 'user',
  userId: '00000000-0000-4000-8000-000000000001',
  organizationId: '00000000-0000-4000-8000-000000000002',
  sessionId: '00000000-0000-4000-8000-000000000003',
  role: 'admin',
  region: 'us',
};

describe('consistency tokens kept by the edge', () => {
  it('reads the kept token for a region not heard from yet, and sends it', async () => {
    const store = new CountingStore();
    const tokens = createConsistencyTokens(store, 60);
    await tokens.remember(principal, 'us-0@0/16B3748');
    store.reads = 0;
    expect(await tokens.outgoing('us', undefined, principal)).toEqual({ 'x-consistency-token': 'us-0@0/16B3748' });
    expect(store.reads).toBe(1);
  });

  it('skips the store for a region that said it has no replicas, and reads it again once one says it has', async () => {
    const store = new CountingStore();
    const tokens = createConsistencyTokens(store, 60);
    tokens.heard('us', false);
    expect(await tokens.outgoing('us', undefined, principal)).toEqual({});
    expect(await tokens.outgoing('us', undefined, principal)).toEqual({});
    expect(store.reads).toBe(0);

    // An answer that said nothing (the edge's own 503, an older region) leaves what the region last said.
    tokens.heard('us', undefined);
    await tokens.outgoing('us', undefined, principal);
    expect(store.reads).toBe(0);

    // Another region is its own: not heard from, so looked up for.
    await tokens.outgoing('eu', undefined, principal);
    expect(store.reads).toBe(1);

    tokens.heard('us', true);
    await tokens.remember(principal, 'us-0@0/16B3748');
    store.reads = 0;
    expect(await tokens.outgoing('us', undefined, principal)).toEqual({ 'x-consistency-token': 'us-0@0/16B3748' });
    expect(store.reads).toBe(1);
  });

  it('still sends the token the client echoes to a region without replicas', async () => {
    const store = new CountingStore();
    const tokens = createConsistencyTokens(store, 60);
    tokens.heard('us', false);
    expect(await tokens.outgoing('us', 'us-0@0/10', principal)).toEqual({ 'x-consistency-token': 'us-0@0/10' });
    expect(store.reads).toBe(0);
  });
});
