import type { ShardSet } from '../../db/shard-set.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { applyOnce } from '../../regions/events/consumer.ts';
import type { Worker } from '../context.ts';
import { type Dispatched, dispatchedEventTypes, dispatchLeads, leadsToDispatch } from './dispatch.ts';
import { hasActiveRules } from './state.ts';

/** The consumer name under which processed events are recorded (processed_events). */
export const dispatchConsumer = 'dispatch';

/**
 * Handles one bus event: places the new leads it names, at most once however often the bus delivers it. Returns
 * what was placed, or null when the event was already applied, names no lead to place, or its organization has no
 * active rule (a lead created before the first rule is not placed when that rule arrives).
 */
export function dispatchHandler(shards: ShardSet, now: () => Date = () => new Date()) {
  return async (event: BusEvent): Promise<Dispatched[] | null> => {
    const leadIds = leadsToDispatch(event);
    if (leadIds.length === 0) return null;
    // Most organizations have no rules: a read settles that without the write (and commit) of applyOnce.
    if (!(await shards.withTenant(event.organizationId, (tx) => hasActiveRules(tx, event.organizationId)))) {
      return null;
    }
    let placed: Dispatched[] = [];
    const apply = applyOnce(shards, dispatchConsumer, async (tx) => {
      placed = await dispatchLeads(tx, event, leadIds, now());
    });
    return (await apply(event)) ? placed : null;
  };
}

/** Lead dispatch: assigns every new lead without an owner by the organization's assignment rules. */
export const dispatchWorker: Worker = {
  name: 'dispatch',
  consumerGroups: (region) => [`dispatch-${region}`],
  async start(ctx) {
    const handle = dispatchHandler(ctx.shards);
    return ctx.bus.subscribe(
      `dispatch-${ctx.region}`,
      { types: dispatchedEventTypes, batchSize: 200 },
      async (event) => {
        if (event.region !== ctx.region) return;
        const placed = await handle(event);
        if (placed?.length) ctx.log.debug({ event: event.id, placed }, 'leads dispatched');
      },
    );
  },
};
