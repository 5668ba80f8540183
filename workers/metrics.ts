import { Gauge, type Registry } from 'prom-client';
import type { ShardSet } from '../db/shard-set.ts';
import type { EventBus } from '../regions/events/bus.ts';
import { outboxBacklog } from '../regions/events/relay.ts';
import type { JobQueues } from '../regions/jobs/queue.ts';

/** Outbox depth, consumer lag and job-queue depth, read when Prometheus scrapes. */
export function registerWorkerMetrics(
  registry: Registry,
  sources: { shards: ShardSet; bus: EventBus; jobs: JobQueues; consumerGroups: readonly string[] },
) {
  new Gauge({
    name: 'crm_outbox_unpublished',
    help: 'Outbox rows not yet published to the event bus, per shard',
    labelNames: ['shard'] as const,
    registers: [registry],
    async collect() {
      for (const shard of sources.shards.all()) this.set({ shard: shard.id }, await outboxBacklog(shard));
    },
  });
  new Gauge({
    name: 'crm_consumer_lag_events',
    help: 'Events published but not yet settled by a consumer group',
    labelNames: ['group', 'bus'] as const,
    registers: [registry],
    async collect() {
      for (const group of sources.consumerGroups) {
        this.set({ group, bus: sources.bus.kind }, await sources.bus.lag(group).catch(() => 0));
      }
    },
  });
  // The spec's name (`queue_depth`); it replaced `crm_job_queue_depth`, which nothing read, rather than export
  // the same series twice and have every sum count each job twice.
  new Gauge({
    name: 'queue_depth',
    help: 'Jobs waiting or running, per queue and shard',
    labelNames: ['queue', 'shard', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const depth of await sources.jobs.depths()) {
        this.set({ queue: depth.queue, shard: depth.shard, state: 'waiting' }, depth.waiting);
        this.set({ queue: depth.queue, shard: depth.shard, state: 'active' }, depth.active);
      }
    },
  });
}
