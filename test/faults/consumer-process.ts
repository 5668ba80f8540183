import { newId } from '../../db/ids.ts';
import { auditLog } from '../../db/schema/index.ts';
import { ShardSet } from '../../db/shard-set.ts';
import { applyEachOnce, eachEvent } from '../../regions/events/consumer.ts';
import { openEventBus } from '../../regions/events/open-bus.ts';

/**
 * A consumer in its own process for the fault suite, taking its events in batches as the workers do: each event's
 * effect (an audit row naming the event) is applied through applyEachOnce, slowly enough that a SIGKILL lands
 * mid-batch, inside a batch's transaction. Environment as for `npm run worker`.
 */
const region = process.env.REGION!;
const shards = await ShardSet.open(
  region,
  process.env.SHARD_URLS!.split(',').map((url, i) => ({ id: `${region}-${i}`, url })),
  4,
);
const bus = await openEventBus(process.env, shards.all()[0]!.db, undefined, region);
const apply = applyEachOnce(
  shards,
  'fault-probe',
  eachEvent(async (tx, event) => {
    await tx.insert(auditLog).values({
      organizationId: event.organizationId,
      id: newId(),
      actorType: 'system',
      action: 'fault.applied',
      targetType: 'event',
      targetId: event.id,
    });
    await new Promise((r) => setTimeout(r, Number(process.env.FAULT_DELAY_MS ?? 2)));
  }),
);
bus.subscribeBatches(process.env.FAULT_GROUP!, { types: ['fault.consumed'], batchSize: 50 }, async (events) => {
  await apply(events);
});
console.log('consumer ready');
