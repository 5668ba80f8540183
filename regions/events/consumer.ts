import type { Tx } from '../../db/database.ts';
import { processedEvents } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { BusEvent } from './bus.ts';

/**
 * Wraps a consumer's effect so it applies at most once per event, however often the bus delivers it: the effect
 * runs in the event's tenant transaction together with a `processed_events` row, and a redelivery finds the row.
 */
export function applyOnce(
  shards: ShardSet,
  consumer: string,
  effect: (tx: Tx, event: BusEvent) => Promise<void>,
): (event: BusEvent) => Promise<boolean> {
  return (event) =>
    shards.withTenant(event.organizationId, async (tx) => {
      const fresh = await tx
        .insert(processedEvents)
        .values({ organizationId: event.organizationId, consumer, eventId: event.id })
        .onConflictDoNothing()
        .returning({ eventId: processedEvents.eventId });
      if (fresh.length === 0) return false;
      await effect(tx, event);
      return true;
    });
}
