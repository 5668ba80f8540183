import type { Tx } from '../../db/database.ts';
import { processedEvents } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { BusEvent } from './bus.ts';

/**
 * Wraps a consumer's effect so it applies at most once per event, however often the bus delivers it: the effect
 * runs in the events' tenant transaction together with their `processed_events` rows, and a redelivery finds the
 * rows. Each organization's events make one transaction, and the effect gets those not applied before, in order:
 * they apply together or (a throw) not at all. Resolves the events applied now.
 */
export function applyEachOnce(
  shards: ShardSet,
  consumer: string,
  effect: (tx: Tx, events: readonly BusEvent[]) => Promise<void>,
): (events: readonly BusEvent[]) => Promise<BusEvent[]> {
  return async (events) => {
    const applied: BusEvent[] = [];
    for (const [organizationId, own] of byOrganization(events)) {
      const fresh = await shards.withTenant(organizationId, async (tx) => {
        const rows = await tx
          .insert(processedEvents)
          .values(own.map((event) => ({ organizationId, consumer, eventId: event.id })))
          .onConflictDoNothing()
          .returning({ eventId: processedEvents.eventId });
        const inserted = new Set(rows.map((row) => row.eventId));
        // delete(): an id the batch holds twice (a redelivery) applies once.
        const unseen = own.filter((event) => inserted.delete(event.id));
        if (unseen.length > 0) await effect(tx, unseen);
        return unseen;
      });
      applied.push(...fresh);
    }
    return applied;
  };
}

/** The events of each organization, in their order; organizations in the order their first event came. */
export function byOrganization(events: readonly BusEvent[]): Map<string, BusEvent[]> {
  const groups = new Map<string, BusEvent[]>();
  for (const event of events) {
    const own = groups.get(event.organizationId);
    if (own) own.push(event);
    else groups.set(event.organizationId, [event]);
  }
  return groups;
}

/** One event at a time, in order: the effect of a consumer that has nothing to share between its events. */
export const eachEvent =
  (effect: (tx: Tx, event: BusEvent) => Promise<void>) =>
  async (tx: Tx, events: readonly BusEvent[]): Promise<void> => {
    for (const event of events) await effect(tx, event);
  };

/** The events a region's consumers take: every region's relay publishes to the bus, each region handles its own. */
export const ofRegion = (events: readonly BusEvent[], region: string): BusEvent[] =>
  events.filter((event) => event.region === region);
