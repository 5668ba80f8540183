import { startRelay } from '../../regions/events/relay.ts';
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
      batchSize: Number(ctx.env.RELAY_BATCH_SIZE ?? 1000),
      leaseSeconds: Number(ctx.env.RELAY_LEASE_SECONDS ?? 15),
      onPublished: (shard, count) => ctx.log.debug({ shard, count }, 'relayed'),
      onError: (shard, err) => ctx.log.error({ shard, err }, 'relay failed; retrying'),
    });
    return relay;
  },
};
