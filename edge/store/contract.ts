import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from './key-value.ts';

/** The behaviour every store adapter must have; each adapter's test file runs it. */
export function describeKeyValueStoreContract(name: string, open: () => KeyValueStore, skip = false) {
  const unique = () => `contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  describe.skipIf(skip)(`${name} (key-value store contract)`, () => {
    it('reads back what it stored and nothing for an unknown key', async () => {
      const store = open();
      const key = unique();
      expect(await store.get(key)).toBeNull();
      await store.set(key, '{"a":1}', 60);
      expect(await store.get(key)).toBe('{"a":1}');
    });

    it('overwrites a value', async () => {
      const store = open();
      const key = unique();
      await store.set(key, 'one', 60);
      await store.set(key, 'two', 60);
      expect(await store.get(key)).toBe('two');
    });

    it('counts from one, and counts concurrent increments exactly', async () => {
      const store = open();
      const key = unique();
      expect(await store.increment(key, 60)).toBe(1);
      const counts = await Promise.all(Array.from({ length: 20 }, () => store.increment(key, 60)));
      expect(new Set(counts).size).toBe(20);
      expect(Math.max(...counts)).toBe(21);
    });

    it('forgets a value once its time is up', async () => {
      const store = open();
      const key = unique();
      await store.set(key, 'short', 1);
      await new Promise((done) => setTimeout(done, 2_100));
      expect(await store.get(key)).toBeNull();
    });
  });
}
