// The Cloudflare entry reads no `process.env` and uses only fetch, so it runs on Node, workerd and Deno alike.
import { Redis } from '@upstash/redis/cloudflare';
import type { KeyValueStore } from './key-value.ts';

export type UpstashOptions = { url: string; token: string };

/**
 * Upstash Redis over its REST API (`@upstash/redis`): a Redis shared by every edge, reachable from Workers and Deno
 * where a TCP client such as ioredis is not. Same commands as the Redis adapter, so limits and invalidation hold
 * across every edge process and isolate.
 */
export class UpstashStore implements KeyValueStore {
  private readonly redis: Redis;
  constructor(
    options: UpstashOptions,
    private readonly prefix = 'crm:',
  ) {
    this.redis = new Redis({
      url: options.url,
      token: options.token,
      // Values are already text (JSON the edge wrote); the client must hand them back exactly, not parse them.
      automaticDeserialization: false,
      enableTelemetry: false,
      // A failing store is answered for by the edge; a long retry ladder would only hold the request.
      retry: { retries: 2, backoff: (attempt) => 50 * 2 ** attempt },
    });
  }

  async get(key: string) {
    return this.redis.get<string>(this.prefix + key);
  }

  async set(key: string, value: string, ttlSeconds: number) {
    await this.redis.set(this.prefix + key, value, { ex: Math.max(1, Math.ceil(ttlSeconds)) });
  }

  async increment(key: string, ttlSeconds: number) {
    // One MULTI/EXEC request; NX keeps the first expiry, so a window ends on time however often it is counted.
    const [count] = await this.redis
      .multi()
      .incr(this.prefix + key)
      .expire(this.prefix + key, Math.max(1, Math.ceil(ttlSeconds)), 'NX')
      .exec<[number, number]>();
    return Number(count);
  }
}
