import { CloudflareKvStore, type KvNamespace } from './cloudflare-kv.ts';
import type { KeyValueStore } from './key-value.ts';
import { UpstashStore } from './upstash.ts';

const isKvNamespace = (value: unknown): value is KvNamespace =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as KvNamespace).getWithMetadata === 'function' &&
  typeof (value as KvNamespace).put === 'function';

/**
 * The store the settings or Worker bindings name, for every runtime: a KV namespace bound as `EDGE_KV` (Workers),
 * else Upstash when `UPSTASH_REDIS_REST_URL` and `UPSTASH_REDIS_REST_TOKEN` are set; undefined leaves the edge its
 * in-memory default. (`EDGE_STORE_URL=redis://…` is Node-only, read by edge/node.ts, since ioredis needs TCP.)
 */
export function storeFromBindings(env: Record<string, unknown>): KeyValueStore | undefined {
  if (env.EDGE_KV !== undefined) {
    if (!isKvNamespace(env.EDGE_KV)) throw new Error('EDGE_KV must be a KV namespace binding');
    return new CloudflareKvStore(env.EDGE_KV);
  }
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (url || token) {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url) || typeof token !== 'string' || !token) {
      throw new Error('UPSTASH_REDIS_REST_URL (http(s)://…) and UPSTASH_REDIS_REST_TOKEN must be set together');
    }
    return new UpstashStore({ url, token });
  }
  return undefined;
}
