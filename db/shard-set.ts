import { fileURLToPath } from 'node:url';
import { desc, eq } from 'drizzle-orm';
import type { Connection, Tx } from './database.ts';
import { openConnection } from './drivers/open.ts';
import type { QueryObserver } from './query-timing.ts';
import { shardMaps } from './schema/index.ts';
import { bucketOf, initialShardMap, type ShardMap, shardIdFor, validateShardMap } from './shard-map.ts';
import { withTenant } from './tenant.ts';

export const shardMigrations = fileURLToPath(new URL('./migrations', import.meta.url));

export type ShardConfig = { id: string; url: string };

/** A region's shards, migrated and routed by the shard map in force. */
export class ShardSet {
  private constructor(
    readonly region: string,
    readonly map: ShardMap,
    private readonly byId: Map<string, Connection>,
  ) {}

  /**
   * Opens and migrates every shard, then loads the map from the first (catalog) shard, writing version 1 once.
   * `onQuery` hears each query's shard, kind and duration (`db_query_duration_seconds`; db/query-timing.ts).
   */
  static async open(
    region: string,
    shards: ShardConfig[],
    poolSize?: number,
    onQuery?: (shard: string, ...timing: Parameters<QueryObserver>) => void,
  ): Promise<ShardSet> {
    if (shards.length === 0) throw new Error(`region ${region}: no shards configured`);
    const observerOf = (shard: string): QueryObserver | undefined =>
      onQuery && ((operation, seconds) => onQuery(shard, operation, seconds));
    const connections = await Promise.all(shards.map((s) => openConnection(s.id, s.url, poolSize, observerOf(s.id))));
    try {
      await Promise.all(connections.map((c) => c.migrate(shardMigrations)));
      const map = await loadOrCreateMap(region, connections);
      return new ShardSet(region, map, new Map(connections.map((c) => [c.id, c])));
    } catch (error) {
      await Promise.allSettled(connections.map((c) => c.close()));
      throw error;
    }
  }

  all(): Connection[] {
    return [...this.byId.values()];
  }

  bucketOf(organizationId: string): number {
    return bucketOf(organizationId);
  }

  forOrganization(organizationId: string): Connection {
    const id = shardIdFor(this.map, organizationId);
    const shard = this.byId.get(id);
    if (!shard) throw new Error(`shard ${id} is in the map but not open`);
    return shard;
  }

  /** One RLS-scoped transaction on the organization's shard. */
  withTenant<T>(organizationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return withTenant(this.forOrganization(organizationId).db, organizationId, work);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.all().map((c) => c.close()));
  }
}

async function loadOrCreateMap(region: string, connections: Connection[]): Promise<ShardMap> {
  const catalog = connections[0]!;
  const ids = connections.map((c) => c.id);
  const read = async () =>
    (
      await catalog.db
        .select()
        .from(shardMaps)
        .where(eq(shardMaps.region, region))
        .orderBy(desc(shardMaps.version))
        .limit(1)
    )[0];
  let row = await read();
  if (!row) {
    const fresh = initialShardMap(region, ids);
    await catalog.db.insert(shardMaps).values(fresh).onConflictDoNothing();
    row = await read();
  }
  if (!row) throw new Error(`region ${region}: could not store its shard map`);
  const map: ShardMap = { region, version: row.version, shardIds: row.shardIds, buckets: row.buckets };
  const problems = validateShardMap(map, ids);
  if (problems.length) throw new Error(`region ${region}: shard map v${map.version}: ${problems.join('; ')}`);
  return map;
}
