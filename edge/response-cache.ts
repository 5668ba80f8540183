import type { Forwarded } from './forward.ts';
import type { Principal } from './protocol/principal.ts';
import type { KeyValueStore } from './store/key-value.ts';

/**
 * Tenant-scoped read cache. Every key carries the organization's cache generation; a write through the edge
 * bumps it, so every earlier entry of that organization becomes unreachable at once and nobody reads their
 * own write stale. Entries are per principal, because what a sales rep may see differs from a manager's.
 */
export function createResponseCache(store: KeyValueStore, ttlSeconds: number) {
  const generationKey = (organizationId: string) => `gen:${organizationId}`;
  const who = (p: Principal) => (p.type === 'user' ? `u:${p.userId}:${p.role}` : `k:${p.keyId}`);

  async function keyFor(principal: Principal, pathAndQuery: string) {
    const generation = (await store.get(generationKey(principal.organizationId))) ?? '0';
    return `c:${principal.organizationId}:${generation}:${who(principal)}:${pathAndQuery}`;
  }

  return {
    async read(principal: Principal, pathAndQuery: string): Promise<{ key: string; hit: Forwarded | null }> {
      const key = await keyFor(principal, pathAndQuery);
      if (ttlSeconds <= 0) return { key, hit: null };
      const stored = await store.get(key);
      return { key, hit: stored ? (JSON.parse(stored) as Forwarded) : null };
    },
    async write(key: string, response: Forwarded): Promise<void> {
      // Only JSON answers are kept: bytes (files, CSV exports) are neither cacheable routes nor JSON-serialisable.
      if (ttlSeconds > 0 && response.status === 200 && typeof response.body === 'string')
        await store.set(key, JSON.stringify(response), ttlSeconds);
    },
    async invalidate(organizationId: string): Promise<void> {
      // A fresh, never-repeated value (a counter could restart after expiring and revive old entries);
      // it outlives every entry it guards.
      const generation = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 8)}`;
      await store.set(generationKey(organizationId), generation, Math.max(ttlSeconds * 4, 86_400));
    },
  };
}
