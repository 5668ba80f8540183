/** Organizations hash into this many buckets; buckets, not organizations, are what move between shards. */
export const BUCKET_COUNT = 256;

/** A region's bucket → shard assignment, as data. Versions only grow; the highest one is in force. */
export type ShardMap = {
  region: string;
  version: number;
  /** The physical shards, by id (`us-0`, `us-1`, …). */
  shardIds: string[];
  /** `buckets[b]` is the index into `shardIds` of the shard holding bucket `b`. */
  buckets: number[];
};

/** FNV-1a over the UUID's 16 bytes: stable across runtimes and releases, which a bucket assignment must be. */
export function bucketOf(organizationId: string): number {
  const hex = organizationId.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${organizationId}`);
  let hash = 0x811c9dc5;
  for (let i = 0; i < 32; i += 2) {
    hash ^= Number.parseInt(hex.slice(i, i + 2), 16);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % BUCKET_COUNT;
}

/** Spreads the buckets over the shards in contiguous, even ranges. */
export function initialShardMap(region: string, shardIds: string[]): ShardMap {
  if (shardIds.length === 0) throw new Error(`region ${region} has no shards`);
  if (shardIds.length > BUCKET_COUNT) throw new Error(`at most ${BUCKET_COUNT} shards per region`);
  const buckets = Array.from({ length: BUCKET_COUNT }, (_, b) => Math.floor((b * shardIds.length) / BUCKET_COUNT));
  return { region, version: 1, shardIds: [...shardIds], buckets };
}

export function shardIdFor(map: ShardMap, organizationId: string): string {
  const index = map.buckets[bucketOf(organizationId)];
  const shardId = index === undefined ? undefined : map.shardIds[index];
  if (!shardId) throw new Error(`shard map v${map.version} of ${map.region} has no shard for ${organizationId}`);
  return shardId;
}

/**
 * Checks a stored map against the shards configured now. A shard may be added (it gets buckets only when
 * they are moved to it), but one that still holds buckets may not disappear: its tenants would vanish.
 */
export function validateShardMap(map: ShardMap, configured: string[]): string[] {
  const problems: string[] = [];
  if (map.buckets.length !== BUCKET_COUNT) problems.push(`map has ${map.buckets.length} buckets, not ${BUCKET_COUNT}`);
  const used = new Set(map.buckets);
  for (const index of used) {
    const id = map.shardIds[index];
    if (id === undefined) problems.push(`bucket points at shard index ${index}, which the map does not name`);
    else if (!configured.includes(id)) problems.push(`shard ${id} holds buckets but is not configured`);
  }
  return problems;
}
