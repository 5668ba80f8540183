import type { ShardSet } from '../../db/shard-set.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { applyEachOnce, byOrganization, ofRegion } from '../../regions/events/consumer.ts';
import type { Worker } from '../context.ts';
import { type Dispatched, dispatchedEventTypes, dispatchLeads, leadsToDispatch } from './dispatch.ts';
import { hasActiveRules } from './state.ts';

/** The consumer name under which processed events are recorded (processed_events). */
export const dispatchConsumer = 'dispatch';

/** What a batch of events placed, and which of them were applied now (a redelivered event is not). */
export type DispatchOutcome = { applied: BusEvent[]; placed: Dispatched[] };

/**
 * Handles bus events: places the new leads they name, at most once however often the bus delivers them, each
 * organization's events in one transaction. An organization without an active rule is settled by a read, without
 * the write (and commit) of applyEachOnce, since most have none (a lead created before the first rule is not placed
 * when that rule arrives).
 */
export function dispatchEventsHandler(shards: ShardSet, now: () => Date = () => new Date()) {
  return async (events: readonly BusEvent[]): Promise<DispatchOutcome> => {
    const outcome: DispatchOutcome = { applied: [], placed: [] };
    const apply = applyEachOnce(shards, dispatchConsumer, async (tx, fresh) => {
      for (const event of fresh)
        outcome.placed.push(...(await dispatchLeads(tx, event, leadsToDispatch(event), now())));
    });
    for (const [organizationId, own] of byOrganization(events.filter((e) => leadsToDispatch(e).length > 0))) {
      if (!(await shards.withTenant(organizationId, (tx) => hasActiveRules(tx, organizationId)))) continue;
      outcome.applied.push(...(await apply(own)));
    }
    return outcome;
  };
}

/** One event: what it placed, or null when it was already applied, names no lead to place, or finds no rule. */
export function dispatchHandler(shards: ShardSet, now: () => Date = () => new Date()) {
  const handle = dispatchEventsHandler(shards, now);
  return async (event: BusEvent): Promise<Dispatched[] | null> => {
    const { applied, placed } = await handle([event]);
    return applied.length > 0 ? placed : null;
  };
}

/** Lead dispatch: assigns every new lead without an owner by the organization's assignment rules. */
export const dispatchWorker: Worker = {
  name: 'dispatch',
  consumerGroups: (region) => [`dispatch-${region}`],
  async start(ctx) {
    const handle = dispatchEventsHandler(ctx.shards);
    return ctx.bus.subscribeBatches(
      `dispatch-${ctx.region}`,
      { types: dispatchedEventTypes, batchSize: 200 },
      async (events) => {
        const { placed } = await handle(ofRegion(events, ctx.region));
        if (placed.length) ctx.log.debug({ events: events.length, placed }, 'leads dispatched');
      },
    );
  },
};
