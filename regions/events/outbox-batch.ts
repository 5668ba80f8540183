import { and, asc, isNull, type SQL, sql } from 'drizzle-orm';
import type { Connection, Tx } from '../../db/database.ts';
import { publishableOutbox } from '../../db/moves/relay-scope.ts';
import { outbox } from '../../db/schema/index.ts';
import type { BusEvent } from './bus.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/** Rows of every organization on the shard: the relay policy of migration 0008 shows them to this setting only. */
export const relayScope = sql`SELECT set_config('app.outbox_relay', 'on', true)`;

export function toBusEvent(region: string, row: OutboxRow): BusEvent {
  return {
    id: row.id,
    type: row.eventType,
    organizationId: row.organizationId,
    region,
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    occurredAt: row.createdAt.toISOString(),
    payload: row.payload,
  };
}

/**
 * The oldest unpublished rows, by id, leaving out `excluding` (a batch being published, not yet marked). Always
 * from the oldest: a row that commits late with a smaller id than rows already read is in the next read.
 */
export async function readUnpublished(tx: Tx, limit: number, excluding: readonly string[] = []): Promise<OutboxRow[]> {
  const movable = await publishableOutbox(tx);
  // One array parameter, not a list: its size does not change the statement.
  const notInFlight = excluding.length > 0 ? sql`${outbox.id} <> ALL(${sql.param(excluding)}::uuid[])` : undefined;
  return tx
    .select()
    .from(outbox)
    .where(and(isNull(outbox.publishedAt), movable, notInFlight))
    .orderBy(asc(outbox.id))
    .limit(limit);
}

/**
 * Marks rows published in one statement. `published_at IS NULL` lets it find them through the `outbox_unpublished`
 * index: on `id = ANY` alone PostgreSQL scans the whole table (the primary key leads with the organization).
 */
export async function markPublished(tx: Tx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(outbox)
    .set({ publishedAt: new Date() })
    .where(and(isNull(outbox.publishedAt), sql`${outbox.id} = ANY(${sql.param(ids)}::uuid[])`) as SQL);
}

/** One relay transaction on a shard: the relay scope set, then `work`. */
export function inRelayScope<T>(shard: Connection, work: (tx: Tx) => Promise<T>): Promise<T> {
  return shard.db.transaction(async (tx) => {
    await tx.execute(relayScope);
    return work(tx);
  });
}
