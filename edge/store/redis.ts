import { Redis } from 'ioredis';
import type { KeyValueStore } from './key-value.ts';

/**
 * Redis behind the edge's store port (Node edges; Workers use KV). Shared by every edge process in a
 * deployment, so rate limits and cache invalidation hold across them.
 */
export class RedisStore implements KeyValueStore {
  private readonly redis: Redis;
  constructor(
    url: string,
    private readonly prefix = 'crm:',
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    // A lost connection is retried by ioredis; the failing commands reject and the edge answers for them.
    this.redis.on('error', () => {});
  }

  async get(key: string) {
    return this.redis.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlSeconds: number) {
    await this.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async increment(key: string, ttlSeconds: number) {
    // NX keeps the first expiry, so a window ends on time however often it is counted.
    const results = await this.redis
      .multi()
      .incr(this.prefix + key)
      .expire(this.prefix + key, Math.max(1, Math.ceil(ttlSeconds)), 'NX')
      .exec();
    const [error, count] = results?.[0] ?? [new Error('no reply from Redis'), null];
    if (error) throw error;
    return Number(count);
  }

  async close() {
    await this.redis.quit();
  }
}
