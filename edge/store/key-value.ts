/**
 * The edge's small storage port, for response caching and rate-limit counters. In-memory by default; Redis,
 * Workers KV and Upstash adapters implement the same three calls.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Adds one and returns the new count; a new key starts at 1 and lives `ttlSeconds`. */
  increment(key: string, ttlSeconds: number): Promise<number>;
}

/** A store that keeps nothing: caching off, every request within limits. */
export const noopStore: KeyValueStore = {
  get: async () => null,
  set: async () => {},
  increment: async () => 1,
};
