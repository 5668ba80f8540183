import type { KeyValueStore } from './key-value.ts';
import { MemoryStore } from './memory.ts';

/** The part of a Workers KV namespace binding this adapter uses (structural, so no Workers types are needed). */
export interface KvNamespace {
  getWithMetadata<Metadata>(key: string, type: 'text'): Promise<{ value: string | null; metadata: Metadata | null }>;
  put(key: string, value: string, options?: { expirationTtl?: number; metadata?: unknown }): Promise<void>;
}

/** KV refuses an `expirationTtl` below this many seconds. */
export const KV_MIN_TTL_SECONDS = 60;
/** KV's longest key, in UTF-8 bytes. */
export const KV_MAX_KEY_BYTES = 512;

type Expiry = { expiresAt: number };

/**
 * Workers KV behind the edge's store port, for the read cache (a `[[kv_namespaces]]` binding named `EDGE_KV`).
 *
 * - Short lifetimes: KV expires nothing sooner than 60 s, so each value carries its own expiry in its metadata and a
 *   read past it answers null; KV is told `max(ttl, 60)` and removes it later.
 * - Long keys: a cache key holds a path and query and may pass KV's 512 bytes, so such keys are stored under their
 *   SHA-256 (the full key is long enough that a collision is not a concern).
 * - Counters stay in the isolate's memory: KV has no atomic increment, is eventually consistent between locations
 *   and takes about one write a second per key, so a rate-limit count in KV would be both wrong and refused. On
 *   Workers the rate limits are therefore per isolate, as they are without KV.
 * - Consistency: a write is seen at once in the location that made it and within about a minute elsewhere, so an
 *   invalidation (a new cache generation) reaches other locations' edges that late; the read cache's TTL bounds it.
 */
export class CloudflareKvStore implements KeyValueStore {
  private readonly counters: MemoryStore;
  constructor(
    private readonly kv: KvNamespace,
    private readonly prefix = 'crm:',
    private readonly now: () => number = Date.now,
  ) {
    this.counters = new MemoryStore(50_000, now);
  }

  private async kvKey(key: string): Promise<string> {
    const full = this.prefix + key;
    if (new TextEncoder().encode(full).byteLength <= KV_MAX_KEY_BYTES) return full;
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(full));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${this.prefix}sha256:${hex}`;
  }

  async get(key: string) {
    const { value, metadata } = await this.kv.getWithMetadata<Expiry>(await this.kvKey(key), 'text');
    if (value === null) return null;
    // A value without the expiry it was written with is not one of ours: treat it as absent.
    if (typeof metadata?.expiresAt !== 'number' || metadata.expiresAt <= this.now()) return null;
    return value;
  }

  async set(key: string, value: string, ttlSeconds: number) {
    const metadata: Expiry = { expiresAt: this.now() + ttlSeconds * 1000 };
    const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttlSeconds));
    await this.kv.put(await this.kvKey(key), value, { expirationTtl, metadata });
  }

  async increment(key: string, ttlSeconds: number) {
    return this.counters.increment(key, ttlSeconds);
  }
}
