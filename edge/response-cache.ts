import type { Forwarded } from './forward.ts';
import type { Principal } from './protocol/principal.ts';
import type { KeyValueStore } from './store/key-value.ts';

/** The largest answer the read cache keeps: a page of a list is far below it, an export or a file is not JSON. */
export const CACHEABLE_MAX_BYTES = 256 * 1024;

/** What the cache stores and answers from: a small JSON body, as text. */
export type CachedAnswer = { status: number; body: string; headers: Record<string, string> };

const jsonType = /^application\/([\w.-]+\+)?json\b/i;

/**
 * Only a 200 in JSON whose size the region announced, and no more than CACHEABLE_MAX_BYTES, is kept. Everything
 * else (CSV reports and exports, attachments, a body of unknown length) streams through untouched: reading it to
 * decide would mean holding it in the edge's memory, which is what streaming is for avoiding.
 */
export function isCacheable(answer: Forwarded): boolean {
  const length = Number(answer.headers['content-length'] ?? Number.NaN);
  return (
    answer.status === 200 &&
    jsonType.test(answer.headers['content-type'] ?? '') &&
    Number.isInteger(length) &&
    length >= 0 &&
    length <= CACHEABLE_MAX_BYTES
  );
}

/**
 * An entry as stored: its status and headers as a JSON line, then the body as it is. Parsing the body as a JSON
 * string (the whole entry as one JSON document) was the largest cost of a cache hit; it is never parsed now.
 */
export function encodeAnswer(answer: CachedAnswer): string {
  return `${JSON.stringify({ status: answer.status, headers: answer.headers })}\n${answer.body}`;
}

export function decodeAnswer(stored: string): CachedAnswer | null {
  const end = stored.indexOf('\n');
  if (end < 0) return null;
  try {
    const head = JSON.parse(stored.slice(0, end)) as Pick<CachedAnswer, 'status' | 'headers'>;
    if (typeof head.status !== 'number' || !head.headers) return null;
    return { status: head.status, headers: head.headers, body: stored.slice(end + 1) };
  } catch {
    // An entry of another shape (written before this one, by an older edge): a miss, filled again.
    return null;
  }
}

/**
 * Tenant-scoped read cache. Every key carries the organization's cache generation; a write through the edge
 * bumps it, so every earlier entry of that organization becomes unreachable at once and nobody reads their
 * own write stale. Entries are per principal, because what a sales rep may see differs from a manager's.
 */
export function createResponseCache(store: KeyValueStore, ttlSeconds: number) {
  /**
   * Stampede protection: the misses of one key in flight in this isolate (or Node process). Concurrent misses wait
   * for the first one's region call and answer from what it kept, so N identical reads make one region call.
   * It is per isolate: other isolates and edge processes each make their own first call.
   */
  const inFlight = new Map<string, Promise<{ answer: Forwarded; kept: boolean }>>();
  const generationKey = (organizationId: string) => `gen:${organizationId}`;
  const who = (p: Principal) => (p.type === 'user' ? `u:${p.userId}:${p.role}` : `k:${p.keyId}`);

  async function keyFor(principal: Principal, pathAndQuery: string) {
    const generation = (await store.get(generationKey(principal.organizationId))) ?? '0';
    return `c:${principal.organizationId}:${generation}:${who(principal)}:${pathAndQuery}`;
  }

  return {
    async read(principal: Principal, pathAndQuery: string): Promise<{ key: string; hit: CachedAnswer | null }> {
      const key = await keyFor(principal, pathAndQuery);
      if (ttlSeconds <= 0) return { key, hit: null };
      const stored = await store.get(key);
      return { key, hit: stored ? decodeAnswer(stored) : null };
    },
    /**
     * Keeps the answer when it is cacheable, and returns what to send the client: the same answer, its body now
     * the text that was read, or (not cacheable) the answer as it came, its stream still unread.
     */
    async keep(key: string, answer: Forwarded): Promise<Forwarded> {
      if (ttlSeconds <= 0 || !isCacheable(answer)) return answer;
      const body = typeof answer.body === 'string' ? answer.body : await new Response(answer.body).text();
      // The runtime measures the text again when it answers from the cache.
      const { 'content-length': _measuredAgain, ...headers } = answer.headers;
      const entry: CachedAnswer = { status: answer.status, body, headers };
      await store.set(key, encodeAnswer(entry), ttlSeconds);
      return entry;
    },
    /**
     * A miss: asks the region through `load` and keeps the answer, unless the same key is already being fetched
     * here, in which case it waits for that call and shares its kept answer (`shared`). An answer that was not kept
     * (a stream, which only one client can read, or an error, e.g. the first client went away) is not shared: each
     * waiting request then makes its own call.
     */
    async fill(
      key: string,
      load: () => Promise<Forwarded>,
    ): Promise<{ answer: Forwarded; kept: boolean; shared: boolean }> {
      if (ttlSeconds <= 0) return { answer: await load(), kept: false, shared: false };
      const pending = inFlight.get(key);
      if (pending) {
        const first = await pending.catch(() => null);
        if (first?.kept) return { answer: first.answer, kept: true, shared: true };
      }
      const work = (async () => {
        const fresh = await load();
        const answer = await this.keep(key, fresh);
        return { answer, kept: answer !== fresh };
      })();
      if (!pending) inFlight.set(key, work);
      try {
        return { ...(await work), shared: false };
      } finally {
        if (inFlight.get(key) === work) inFlight.delete(key);
      }
    },
    async invalidate(organizationId: string): Promise<void> {
      // A fresh, never-repeated value (a counter could restart after expiring and revive old entries);
      // it outlives every entry it guards.
      const generation = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 8)}`;
      await store.set(generationKey(organizationId), generation, Math.max(ttlSeconds * 4, 86_400));
    },
  };
}
