import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Connection } from '../../db/database.ts';
import type { QueryOperation } from '../../db/query-timing.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { registerReplicationMetrics } from './replication-metrics.ts';

export type RegionMetrics = ReturnType<typeof createRegionMetrics>;

/** How long a scrape waits for a database's `SELECT 1` before reporting it down. */
const DATABASE_PROBE_MS = 2000;

/**
 * One registry per region process, labelled with the region so a shared Prometheus can tell them apart. The shards
 * and the directory are read lazily (the registry exists before they are opened: the shards report their queries).
 */
export function createRegionMetrics(
  region: string,
  shards: () => ShardSet | undefined,
  directory: () => Connection | undefined = () => undefined,
) {
  const registry = new Registry();
  registry.setDefaultLabels({ region });
  // Process figures (CPU, memory, event-loop lag, start time) for the SRE dashboard.
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const leadsCreated = new Counter({
    name: 'crm_leads_created_total',
    help: 'Leads created in this region',
    registers: [registry],
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections per shard, by state',
    labelNames: ['shard', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of shards()?.all() ?? []) {
        const stats = shard.poolStats();
        this.set({ shard: shard.id, state: 'total' }, stats.total);
        this.set({ shard: shard.id, state: 'idle' }, stats.idle);
        this.set({ shard: shard.id, state: 'waiting' }, stats.waiting);
      }
    },
  });
  new Gauge({
    name: 'crm_database_up',
    help: 'Whether each shard (and the directory this region owns) answered SELECT 1 within 2 s at scrape time',
    labelNames: ['database'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const databases = [...(shards()?.all() ?? []), ...(directory() ? [directory()!] : [])];
      const results = await Promise.all(databases.map((database) => answers(database)));
      for (const [i, database] of databases.entries()) this.set({ database: database.id }, results[i] ? 1 : 0);
    },
  });
  const onQuery = registerDbQueryDuration(registry);
  // Replica lag and where GET reads went (db/replica.ts).
  const replication = registerReplicationMetrics(registry, shards);
  return { registry, httpDuration, leadsCreated, onQuery, replication };
}

/**
 * `db_query_duration_seconds` by shard and statement kind (select, insert, update, delete, other; never the SQL),
 * fed by the shards' drivers (ShardSet.open's `onQuery`). Regions and worker processes each register it.
 */
export function registerDbQueryDuration(registry: Registry) {
  const histogram = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Time a shard took to answer one query, by shard and statement kind',
    labelNames: ['shard', 'operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // One child per (shard, kind), found by a string key: every query observes, so no label object is hashed each time.
  const children = new Map<string, { observe(seconds: number): void }>();
  return (shard: string, operation: QueryOperation, seconds: number) => {
    const key = `${shard}|${operation}`;
    let child = children.get(key);
    if (!child) {
      child = histogram.labels({ shard, operation });
      children.set(key, child);
    }
    child.observe(seconds);
  };
}

/** A ping that gives up after DATABASE_PROBE_MS, so a hung database cannot hold the scrape. */
async function answers(database: Connection): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_PROBE_MS);
  });
  try {
    return await Promise.race([database.ping().then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
