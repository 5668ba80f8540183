import { isNull, lt, sql } from 'drizzle-orm';
import type { Connection } from '../../db/database.ts';
import { outbox } from '../../db/schema/index.ts';
import type { BusEvent, EventBus } from './bus.ts';
import { acquireRelayLease, releaseRelayLease } from './lease.ts';
import { inRelayScope, markPublished, readUnpublished, toBusEvent } from './outbox-batch.ts';
import { relayShard } from './relay-pipeline.ts';

export { toBusEvent } from './outbox-batch.ts';

/**
 * Rows per relay batch. Each batch costs a fixed read and mark of the outbox besides its events: measured on this
 * machine (docs/performance.md), batches of 1,000 moved 10,600 events/s to the Postgres log and 5,500 to NATS;
 * batches of 5,000, 23,000 and 13,400. A crash between publish and mark republishes up to two batches (the one
 * publishing and the one before it, see ./relay-pipeline.ts), which the bus's dedupe and idempotent consumers absorb.
 */
export const DEFAULT_RELAY_BATCH = 5000;

export type RelayOptions = {
  region: string;
  shards: readonly Connection[];
  bus: EventBus;
  /** Who holds the lease: one relay per shard publishes, the others stand by. */
  holder: string;
  batchSize?: number;
  /** Pause when a shard had nothing to publish. */
  idleMs?: number;
  leaseSeconds?: number;
  /** Published rows are kept this long for inspection, then deleted. */
  keepPublishedHours?: number;
  onPublished?: (shardId: string, count: number) => void;
  /** The events of each batch once published and marked (the business metrics count them). */
  onRelayed?: (events: readonly BusEvent[]) => void;
  onError?: (shardId: string, error: unknown) => void;
};

/**
 * Publishes one batch of a shard's unpublished outbox rows, oldest first, then marks them published.
 * No transaction is held while the bus publishes (an embedded bus may live on this very database), so a crash
 * between publish and mark republishes the batch: the bus and consumers deduplicate on the event id.
 */
export async function relayBatch(
  region: string,
  shard: Connection,
  bus: EventBus,
  batchSize: number,
  relayed?: (events: readonly BusEvent[]) => void,
): Promise<number> {
  const rows = await inRelayScope(shard, (tx) => readUnpublished(tx, batchSize));
  if (rows.length === 0) return 0;
  const events = rows.map((row) => toBusEvent(region, row));
  await bus.publish(events);
  await inRelayScope(shard, (tx) =>
    markPublished(
      tx,
      rows.map((row) => row.id),
    ),
  );
  relayed?.(events);
  return rows.length;
}

/** Unpublished rows on a shard, for the outbox-depth gauge. */
export async function outboxBacklog(shard: Connection): Promise<number> {
  const [row] = await inRelayScope(shard, (tx) =>
    tx.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.publishedAt)),
  );
  return row?.n ?? 0;
}

async function deletePublished(shard: Connection, olderThan: Date): Promise<void> {
  await inRelayScope(shard, async (tx) => {
    await tx.delete(outbox).where(lt(outbox.publishedAt, olderThan));
  });
}

export type Relay = {
  /** Publishes until every shard's outbox is empty (tests, shutdown). */
  drain(): Promise<number>;
  stop(): Promise<void>;
};

/** One loop per shard, each publishing while it holds that shard's lease. */
export function startRelay(options: RelayOptions): Relay {
  const batchSize = options.batchSize ?? DEFAULT_RELAY_BATCH;
  const idleMs = options.idleMs ?? 100;
  const leaseSeconds = options.leaseSeconds ?? 15;
  const keepMs = (options.keepPublishedHours ?? 24 * 7) * 3_600_000;
  let stopping = false;
  const wake = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake.add(done);
    });

  async function loop(shard: Connection) {
    let lastCleanup = 0;
    let leased = false;
    // Asked before each batch: renewing the lease every batch keeps it while the relay works through a backlog.
    const mayContinue = async () => {
      leased = !stopping && (await acquireRelayLease(shard, options.holder, leaseSeconds));
      return leased;
    };
    const relayed = (events: readonly BusEvent[]) => {
      options.onPublished?.(shard.id, events.length);
      options.onRelayed?.(events);
    };
    while (!stopping) {
      let published = 0;
      try {
        published = await relayShard(options.region, shard, options.bus, batchSize, { mayContinue, relayed });
        if (leased && Date.now() - lastCleanup > 3_600_000) {
          lastCleanup = Date.now();
          await deletePublished(shard, new Date(Date.now() - keepMs));
        }
      } catch (error) {
        options.onError?.(shard.id, error);
        await pause(Math.max(idleMs, 1000));
        continue;
      }
      // relayShard returns once the outbox is drained (or the lease is gone): look again at once after a
      // publishing run, after idleMs otherwise.
      await pause(published === 0 ? idleMs : 0);
    }
    await releaseRelayLease(shard, options.holder).catch(() => {});
  }

  const loops = options.shards.map((shard) => loop(shard));
  return {
    async drain() {
      let total = 0;
      for (const shard of options.shards) {
        total += await relayShard(options.region, shard, options.bus, batchSize, {
          ...(options.onRelayed ? { relayed: options.onRelayed } : {}),
        });
      }
      return total;
    },
    async stop() {
      stopping = true;
      for (const done of [...wake]) done();
      await Promise.all(loops);
    },
  };
}
