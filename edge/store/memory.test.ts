import { describe, expect, it } from 'vitest';
import { describeKeyValueStoreContract } from './contract.ts';
import { MemoryStore } from './memory.ts';

describe('MemoryStore', () => {
  it('forgets entries when their time is up', async () => {
    let now = 0;
    const store = new MemoryStore(10, () => now);
    await store.set('a', '1', 5);
    expect(await store.get('a')).toBe('1');
    now = 5_000;
    expect(await store.get('a')).toBeNull();
  });

  it('counts within a window and starts again after it', async () => {
    let now = 0;
    const store = new MemoryStore(10, () => now);
    expect(await store.increment('k', 60)).toBe(1);
    expect(await store.increment('k', 60)).toBe(2);
    now = 60_000;
    expect(await store.increment('k', 60)).toBe(1);
  });

  it('stays within its bound by dropping the oldest entries', async () => {
    const store = new MemoryStore(3);
    for (const key of ['a', 'b', 'c', 'd']) await store.set(key, key, 60);
    expect(await store.get('a')).toBeNull();
    expect(await store.get('d')).toBe('d');
  });
});

describeKeyValueStoreContract('MemoryStore', () => new MemoryStore());
