import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ShardSet } from '../../db/shard-set.ts';

export type RegionMetrics = ReturnType<typeof createRegionMetrics>;

/** One registry per region process, labelled with the region so a shared Prometheus can tell them apart. */
export function createRegionMetrics(region: string, shards: () => ShardSet | undefined) {
  const registry = new Registry();
  registry.setDefaultLabels({ region });
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
  return { registry, httpDuration, leadsCreated };
}
