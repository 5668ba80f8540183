/**
 * The consistency token: how far each shard's primary had written when a write answered, so the next read can
 * insist on a replica that has replayed at least that far (or be served by the primary). It travels as the
 * `X-Consistency-Token` header: `<shard>@<LSN>` entries joined by commas, e.g. `us-0@0/16B3748`. Clients treat it
 * as opaque; the edge and regions read it here. Web standards only: the edge runs it on every runtime.
 */
export const CONSISTENCY_HEADER = 'x-consistency-token';

/**
 * On every `/api/*` answer a region says whether it reads from replicas: `1`, or `0` when none of its shards has one.
 * Internal between region and edge (the edge does not relay it): the edge reads a principal's kept token from its
 * store only for a region that may serve reads from a replica (edge/consistency.ts).
 */
export const READ_REPLICAS_HEADER = 'x-read-replicas';

/** Shard id → the primary's WAL position (a PostgreSQL LSN as a number of bytes). */
export type ConsistencyToken = Map<string, bigint>;

/** Bounds a hostile header: a principal's writes touch one shard, a region's few. */
const MAX_ENTRIES = 64;
const MAX_LENGTH = 4096;
const SHARD_ID = /^[a-z][a-z0-9-]{0,62}$/;
const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

export class InvalidConsistencyToken extends Error {
  constructor(reason: string) {
    super(`X-Consistency-Token is not a token this service issued (${reason})`);
    this.name = 'InvalidConsistencyToken';
  }
}

/** `16/B374D848` → bytes; null when it is not an LSN. */
export function parseLsn(text: string | null | undefined): bigint | null {
  const match = text ? LSN.exec(text.trim()) : null;
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(position: bigint): string {
  const high = (position >> 32n).toString(16).toUpperCase();
  const low = (position & 0xffffffffn).toString(16).toUpperCase();
  return `${high}/${low}`;
}

/** Reads a header; absent or empty is an empty token, anything malformed throws InvalidConsistencyToken. */
export function parseToken(header: string | null | undefined): ConsistencyToken {
  const token: ConsistencyToken = new Map();
  if (header === null || header === undefined || header.trim() === '') return token;
  if (header.length > MAX_LENGTH) throw new InvalidConsistencyToken('too long');
  const entries = header.split(',').map((entry) => entry.trim());
  if (entries.length > MAX_ENTRIES) throw new InvalidConsistencyToken('too many shards');
  for (const entry of entries) {
    const at = entry.lastIndexOf('@');
    const shard = entry.slice(0, at);
    const position = parseLsn(entry.slice(at + 1));
    if (at <= 0 || !SHARD_ID.test(shard) || position === null) throw new InvalidConsistencyToken(`entry "${entry}"`);
    token.set(shard, position > (token.get(shard) ?? -1n) ? position : token.get(shard)!);
  }
  return token;
}

export function formatToken(token: ConsistencyToken): string {
  return [...token]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([shard, position]) => `${shard}@${formatLsn(position)}`)
    .join(',');
}

/** The furthest position of each shard over every token: what a read must wait for to see all of their writes. */
export function mergeTokens(...tokens: ConsistencyToken[]): ConsistencyToken {
  const merged: ConsistencyToken = new Map();
  for (const token of tokens) {
    for (const [shard, position] of token) {
      if (position > (merged.get(shard) ?? -1n)) merged.set(shard, position);
    }
  }
  // Past the bound the last shards named are dropped: their reads may then be served by a replica still behind.
  return merged.size <= MAX_ENTRIES ? merged : new Map([...merged].slice(0, MAX_ENTRIES));
}
