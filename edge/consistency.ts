import { ApiError } from '../openapi/errors.ts';
import {
  CONSISTENCY_HEADER,
  type ConsistencyToken,
  formatToken,
  InvalidConsistencyToken,
  mergeTokens,
  parseToken,
} from './protocol/consistency-token.ts';
import type { Principal } from './protocol/principal.ts';
import type { KeyValueStore } from './store/key-value.ts';

/**
 * Read-your-writes across read replicas, kept by the edge. A region answers each write with `X-Consistency-Token`;
 * the edge keeps the newest per principal (user or API key) for `ttlSeconds` in its store and sends it with that
 * principal's next reads, merged with any token the client echoes itself, so a client that ignores the header
 * still reads its own writes (through any edge, when the store is shared: Redis). The header also goes back to
 * the client, which may echo it on later calls (another principal's read, or past the edge's memory).
 *
 * Only a region with replicas needs the kept token, and looking it up costs a store round trip (Redis) on every
 * read: each region answer says whether the region reads replicas (`X-Read-Replicas`), and the edge remembers the
 * last word per region for the life of this isolate or process. A region not heard from yet is looked up for
 * (safe); one that said it has none is not, until an answer says otherwise. A region that gains replicas restarts
 * to do so, and its first answer to any write or read through this edge sets it right again.
 */
export function createConsistencyTokens(store: KeyValueStore, ttlSeconds: number) {
  /** Region → whether its last answer said it reads replicas. */
  const regionReadsReplicas = new Map<string, boolean>();
  const keyOf = (p: Principal) => `ct:${p.type === 'user' ? `u:${p.userId}` : `k:${p.keyId}`}`;

  const read = (header: string | null | undefined): ConsistencyToken => {
    try {
      return parseToken(header);
    } catch (error) {
      if (error instanceof InvalidConsistencyToken) {
        throw new ApiError(400, 'invalid_consistency_token', error.message);
      }
      throw error;
    }
  };

  return {
    /**
     * The header to send the region with a request: the client's token and the principal's remembered one, which
     * is looked up only for a region that may read replicas.
     */
    async outgoing(
      region: string,
      clientHeader: string | undefined,
      principal?: Principal,
    ): Promise<Record<string, string>> {
      const client = read(clientHeader);
      const lookUp = principal && ttlSeconds > 0 && regionReadsReplicas.get(region) !== false;
      const kept = lookUp ? parseKept(await store.get(keyOf(principal))) : new Map();
      const token = mergeTokens(kept, client);
      return token.size ? { [CONSISTENCY_HEADER]: formatToken(token) } : {};
    },
    /** Notes what a region's answer said of its replicas; an answer that said nothing changes nothing. */
    heard(region: string, readReplicas: boolean | undefined): void {
      if (readReplicas !== undefined) regionReadsReplicas.set(region, readReplicas);
    },
    /**
     * Remembers a write's token for the principal. Two writes answered at once may each keep only its own (the
     * store has no merge); both name the principal's one shard, so the later read waits for the lower position.
     */
    async remember(principal: Principal, header: string | undefined): Promise<void> {
      if (!header || ttlSeconds <= 0) return;
      const key = keyOf(principal);
      const token = mergeTokens(parseKept(await store.get(key)), read(header));
      await store.set(key, formatToken(token), ttlSeconds);
    },
  };
}

/** A stored token is the edge's own; one that no longer parses (an older format) is forgotten. */
function parseKept(value: string | null): ConsistencyToken {
  try {
    return parseToken(value);
  } catch {
    return new Map();
  }
}
