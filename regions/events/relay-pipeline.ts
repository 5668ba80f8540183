import type { Connection } from '../../db/database.ts';
import type { BusEvent, EventBus } from './bus.ts';
import { inRelayScope, markPublished, readUnpublished, toBusEvent } from './outbox-batch.ts';

export type RelayShardHooks = {
  /**
   * Asked before the first read and, while each batch publishes, for the next one (renews the relay's lease,
   * notices a stop); false ends the run once the batch in hand is published and marked.
   */
  mayContinue?: () => Promise<boolean>;
  /** The events of each batch once published and marked. */
  relayed?: (events: readonly BusEvent[]) => void;
};

/**
 * Relays a shard's outbox, batch after batch, until a batch comes back short (the outbox is drained) or
 * `mayContinue` says no; returns how many events it published and marked.
 *
 * Pipelined: while batch k publishes, one transaction marks batch k-1 published and reads batch k+1, so the
 * outbox's reads and writes cost no time of their own. What the relay guarantees still holds:
 * - at least once: a row is marked only once the publish of its batch resolved; a crash or a failed mark leaves
 *   published rows unmarked, to be published again and dropped by the bus's dedupe or the consumers.
 * - order: batch k+1 is published only once batch k is stored whole; a failed publish ends the run before
 *   anything after it goes out, and the next run starts again from the oldest unpublished row.
 * - late commits: every read starts from the oldest unpublished row, leaving out only the batch in flight, so a
 *   row that commits after rows with larger ids were read is in the next batch.
 */
export async function relayShard(
  region: string,
  shard: Connection,
  bus: EventBus,
  batchSize: number,
  hooks: RelayShardHooks = {},
): Promise<number> {
  const mayContinue = hooks.mayContinue ?? (async () => true);
  if (!(await mayContinue())) return 0;
  let rows = await inRelayScope(shard, (tx) => readUnpublished(tx, batchSize));
  // The batch published last, not yet marked.
  let unmarked: BusEvent[] = [];
  let total = 0;
  const marked = (events: BusEvent[]) => {
    if (events.length === 0) return;
    total += events.length;
    hooks.relayed?.(events);
  };

  while (rows.length > 0) {
    const events = rows.map((row) => toBusEvent(region, row));
    const previous = unmarked;
    const readNext = rows.length === batchSize;
    const inFlight = rows.map((row) => row.id);
    const [published, next, goOn] = await Promise.allSettled([
      bus.publish(events),
      inRelayScope(shard, async (tx) => {
        await markPublished(
          tx,
          previous.map((event) => event.id),
        );
        return readNext ? readUnpublished(tx, batchSize, inFlight) : [];
      }),
      readNext ? mayContinue() : Promise.resolve(false),
    ]);
    if (next.status === 'rejected') throw next.reason;
    marked(previous);
    if (published.status === 'rejected') throw published.reason;
    if (goOn.status === 'rejected') throw goOn.reason;
    unmarked = events;
    rows = goOn.value ? next.value : [];
  }
  if (unmarked.length > 0) {
    await inRelayScope(shard, (tx) =>
      markPublished(
        tx,
        unmarked.map((event) => event.id),
      ),
    );
    marked(unmarked);
  }
  return total;
}
