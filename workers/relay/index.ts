import { DEFAULT_RELAY_BATCH, startRelay } from '../../regions/events/relay.ts';
import { registerBusinessMetrics } from '../../regions/ops/business-metrics.ts';
import type { Worker } from '../context.ts';

/** Publishes each shard's outbox to the event bus (regions/events/relay.ts). */
export const relayWorker: Worker = {
  name: 'relay',
  async start(ctx) {
    const relay = startRelay({
      region: ctx.region,
      shards: ctx.shards.all(),
      bus: ctx.bus,
      holder: ctx.instance,
      batchSize: Number(ctx.env.RELAY_BATCH_SIZE ?? DEFAULT_RELAY_BATCH),
      leaseSeconds: Number(ctx.env.RELAY_LEASE_SECONDS ?? 15),
      onPublished: (shard, count) => ctx.log.debug({ shard, count }, 'relayed'),
      // Deals won and leads converted, counted once each as their events leave the outbox.
      ...(ctx.metrics ? { onRelayed: registerBusinessMetrics(ctx.metrics) } : {}),
      onError: (shard, err) => ctx.log.error({ shard, err }, 'relay failed; retrying'),
    });
    return relay;
  },
};
