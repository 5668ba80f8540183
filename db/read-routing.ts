import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConsistencyToken } from '../edge/protocol/consistency-token.ts';

/** Why a read in a read scope went where it went, for `db_reads_total`. */
export type ReadServed =
  | { shard: string; target: 'replica'; reason: 'no_token' | 'caught_up' }
  | { shard: string; target: 'primary'; reason: 'behind_token' | 'replica_unavailable' | 'wrote' };

/**
 * A request that only reads (a GET) runs in a read scope: its tenant transactions may go to the shard's replica,
 * unless the token names a position the replica has not replayed yet. Kept in async context so that every service
 * a GET route calls is routed without being told (db/shard-set.ts reads it in `withTenant`).
 */
export type ReadScope = { token: ConsistencyToken; served: ReadServed[] };

const scopes = new AsyncLocalStorage<ReadScope>();

/** Runs `work` (a GET's handling) in a read scope carrying the request's consistency token. */
export function inReadScope<T>(token: ConsistencyToken, work: (scope: ReadScope) => Promise<T>): Promise<T> {
  const scope: ReadScope = { token, served: [] };
  return scopes.run(scope, () => work(scope));
}

export const currentReadScope = (): ReadScope | undefined => scopes.getStore();
