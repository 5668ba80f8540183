import { fileURLToPath } from 'node:url';
import { desc, eq, sql } from 'drizzle-orm';
import type { Connection, Tx } from './database.ts';
import { openConnection } from './drivers/open.ts';
import { BUCKET_FENCED, BUCKET_MOVED, BucketFencedError, sqlStateOf } from './moves/fence.ts';
import type { QueryObserver } from './query-timing.ts';
import { currentReadScope } from './read-routing.ts';
import { Replica, readThroughReplica } from './replica.ts';
import { shardMaps } from './schema/index.ts';
import { bucketOf, initialShardMap, type ShardMap, shardIdFor, validateShardMap } from './shard-map.ts';

export const shardMigrations = fileURLToPath(new URL('./migrations', import.meta.url));

/** A shard's primary and, optionally, its streaming replica (reads of GET requests; db/replica.ts). */
export type ShardConfig = { id: string; url: string; replicaUrl?: string };

/** A region's shards, migrated and routed by the shard map in force. */
export class ShardSet {
  /** How long a tenant transaction waits for a bucket's move fence before the request is answered 503. */
  static fenceWaitMs = 2_000;

  private constructor(
    readonly region: string,
    private current: ShardMap,
    private readonly byId: Map<string, Connection>,
    private readonly replicas: Map<string, Replica> = new Map(),
  ) {}

  /** The map in force as this process last read it: reloaded when a shard says a bucket has moved away. */
  get map(): ShardMap {
    return this.current;
  }

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
    const replicas: Replica[] = [];
    try {
      await Promise.all(connections.map((c) => c.migrate(shardMigrations)));
      const map = await loadOrCreateMap(region, connections);
      for (const s of shards) {
        if (s.replicaUrl)
          replicas.push(await Replica.open(s.id, s.replicaUrl, poolSize, observerOf(`${s.id}-replica`)));
      }
      const byId = new Map(connections.map((c) => [c.id, c]));
      return new ShardSet(region, map, byId, new Map(replicas.map((r) => [r.shardId, r])));
    } catch (error) {
      await Promise.allSettled([...connections, ...replicas].map((c) => c.close()));
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

  /**
   * One RLS-scoped transaction on the organization's shard. Its first statement enters the bucket
   * (crm_enter_bucket, migration 0027): a shard the bucket moved away from refuses it, and the map is reloaded and
   * the transaction tried on the new shard; while a move's fence holds the bucket it waits up to `fenceWaitMs`.
   * Nothing of `work` has run when a refusal comes, so trying again is safe.
   */
  async withTenant<T>(organizationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const bucket = bucketOf(organizationId);
    const deadline = Date.now() + ShardSet.fenceWaitMs;
    for (;;) {
      let entered = false;
      const run = (connection: Connection) => {
        entered = false;
        // A short wait inside the database, then the connection goes back to the pool while this one sleeps.
        const waitMs = Math.min(100, Math.max(0, deadline - Date.now()));
        return enterTenant(connection, organizationId, waitMs, (tx) => {
          entered = true;
          return work(tx);
        });
      };
      try {
        // Inside a GET's read scope, a shard with a replica serves it there when the replica is far enough along.
        const primary = this.forOrganization(organizationId);
        const scope = currentReadScope();
        const replica = scope && this.replicas.get(primary.id);
        return await (scope && replica ? readThroughReplica(primary, replica, scope, run) : run(primary));
      } catch (error) {
        const state = entered ? undefined : sqlStateOf(error);
        if (state !== BUCKET_MOVED && state !== BUCKET_FENCED) throw error;
        const before = this.current.version;
        await this.reloadMap();
        if (state === BUCKET_MOVED && this.current.version > before) continue;
        // Fenced, or moved away before the new map was stored: the move finishes its switch within the fence.
        if (Date.now() >= deadline) throw new BucketFencedError(bucket);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  }

  /**
   * One RLS-scoped transaction of the organization on a given shard of this set, for work that visits every shard
   * (rows an organization may still have on a shard it is moving from or to). It enters the bucket as `withTenant`
   * does but is neither rerouted nor retried: a shard that does not serve the bucket refuses it (SQLSTATE
   * BUCKET_MOVED), as does one a move fences it on (BUCKET_FENCED), before `work` has run.
   */
  withTenantOn<T>(shard: Connection, organizationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.byId.get(shard.id) !== shard) throw new Error(`shard ${shard.id} is not one of region ${this.region}'s`);
    return enterTenant(shard, organizationId, 0, work);
  }

  /** Reads the newest map from the catalog shard; a version this process already has changes nothing. */
  async reloadMap(): Promise<ShardMap> {
    const map = await readMap(this.region, this.all());
    if (map && map.version > this.current.version) this.current = map;
    return this.current;
  }

  /** The shard's replica, if it has one. */
  replicaOf(shardId: string): Replica | undefined {
    return this.replicas.get(shardId);
  }

  /** Shards that have a replica, with it. */
  replicated(): { primary: Connection; replica: Replica }[] {
    return this.all().flatMap((primary) => {
      const replica = this.replicas.get(primary.id);
      return replica ? [{ primary, replica }] : [];
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.all(), ...this.replicas.values()].map((c) => c.close()));
  }
}

/**
 * The one statement that scopes a transaction to an organization: row-level security reads `app.organization_id`
 * (transaction-local, so it cannot leak to the next user of a pooled connection), and crm_enter_bucket holds the
 * bucket against a move's fence, waiting up to `waitMs` for it, and refuses a bucket this shard does not serve.
 * JIT compilation is off for the transaction: requests here are short and planned afresh each time, and a query
 * the planner costs high (a report's fallback branches, over jit_above_cost) spent 45-600 ms compiling to run a few
 * milliseconds of work (docs/performance.md, Findings › Reports 1).
 */
function enterTenant<T>(
  connection: Connection,
  organizationId: string,
  waitMs: number,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  return connection.db.transaction(async (tx) => {
    await tx.execute(
      sql`SELECT set_config('app.organization_id', ${organizationId}, true), set_config('jit', 'off', true),
        crm_enter_bucket(${bucketOf(organizationId)}, ${waitMs})`,
    );
    return work(tx as Tx);
  });
}

/** The newest stored map of the region, from the catalog (first) shard, checked against the shards configured. */
export async function readMap(region: string, connections: Connection[]): Promise<ShardMap | undefined> {
  const catalog = connections[0]!;
  const [row] = await catalog.db
    .select()
    .from(shardMaps)
    .where(eq(shardMaps.region, region))
    .orderBy(desc(shardMaps.version))
    .limit(1);
  if (!row) return undefined;
  const map: ShardMap = { region, version: row.version, shardIds: row.shardIds, buckets: row.buckets };
  const problems = validateShardMap(
    map,
    connections.map((c) => c.id),
  );
  if (problems.length) throw new Error(`region ${region}: shard map v${map.version}: ${problems.join('; ')}`);
  return map;
}

async function loadOrCreateMap(region: string, connections: Connection[]): Promise<ShardMap> {
  let map = await readMap(region, connections);
  if (!map) {
    const fresh = initialShardMap(
      region,
      connections.map((c) => c.id),
    );
    await connections[0]!.db.insert(shardMaps).values(fresh).onConflictDoNothing();
    map = await readMap(region, connections);
  }
  if (!map) throw new Error(`region ${region}: could not store its shard map`);
  return map;
}
