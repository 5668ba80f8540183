import type { KeyValueStore } from './key-value.ts';

type Entry = { value: string; expiresAt: number };

/**
 * One isolate's memory. Bounded: past `maxEntries` the oldest-inserted entries go first (Map keeps insertion
 * order, and `set` re-inserts), so a flood of distinct keys cannot exhaust the isolate.
 */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  async get(key: string) {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number) {
    this.put(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async increment(key: string, ttlSeconds: number) {
    const entry = this.live(key);
    if (entry) {
      entry.value = String(Number(entry.value) + 1);
      return Number(entry.value);
    }
    this.put(key, { value: '1', expiresAt: this.now() + ttlSeconds * 1000 });
    return 1;
  }
}
