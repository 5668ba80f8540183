import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReadServed } from '../../db/read-routing.ts';
import type { ReplicationLag } from '../../db/replica.ts';
import type { ShardSet } from '../../db/shard-set.ts';

/** How long a scrape waits for a replica's position before reporting it down. */
const PROBE_MS = 2000;

/**
 * Each replica's lag behind its primary, read at scrape time (`db_replication_lag_bytes`, `…_seconds`), whether it
 * answered (`db_replica_up`), and where GET reads went (`db_reads_total`: replica, or primary and why). A region
 * without replicas exports the names and no series.
 */
export function registerReplicationMetrics(registry: Registry, shards: () => ShardSet | undefined) {
  let last: Promise<Map<string, ReplicationLag | null>> | undefined;
  // prom-client starts every collect of a scrape in the same tick, so the three gauges share the probe in flight;
  // it is forgotten as soon as it settles, so the next scrape, however soon (a test's, right after a write), probes
  // afresh instead of reporting the lag of before the write.
  const probe = () => {
    last ??= (async () => {
      const replicated = shards()?.replicated() ?? [];
      const lags = await Promise.all(replicated.map(({ primary, replica }) => within(replica.lag(primary))));
      return new Map(replicated.map(({ primary }, i) => [primary.id, lags[i] ?? null]));
    })().finally(() => {
      last = undefined;
    });
    return last;
  };
  new Gauge({
    name: 'db_replication_lag_bytes',
    help: 'WAL bytes the shard primary has written that its replica has not replayed, at scrape time',
    labelNames: ['shard'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [shard, lag] of await probe()) if (lag) this.set({ shard }, lag.bytes);
    },
  });
  new Gauge({
    name: 'db_replication_lag_seconds',
    help: 'Age of the last transaction a shard replica replayed while it is behind its primary (0 when caught up)',
    labelNames: ['shard'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [shard, lag] of await probe()) if (lag) this.set({ shard }, lag.seconds);
    },
  });
  new Gauge({
    name: 'db_replica_up',
    help: 'Whether each shard replica answered within 2 s at scrape time (reads fall back to the primary when not)',
    labelNames: ['shard'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [shard, lag] of await probe()) this.set({ shard }, lag ? 1 : 0);
    },
  });
  const reads = new Counter({
    name: 'db_reads_total',
    help: 'Tenant read transactions of GET requests on shards with a replica, by where they ran and why',
    labelNames: ['shard', 'target', 'reason'] as const,
    registers: [registry],
  });
  return {
    countReads(served: ReadServed[]) {
      for (const { shard, target, reason } of served) reads.inc({ shard, target, reason });
    },
  };
}

async function within(lag: Promise<ReplicationLag>): Promise<ReplicationLag | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PROBE_MS);
  });
  try {
    return await Promise.race([lag, timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
