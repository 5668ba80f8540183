import type { z } from '@hono/zod-openapi';
import type { Tx } from '../../db/database.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { badRequest } from '../../openapi/errors.ts';
import { BULK_MAX_RECORDS, type BulkResponse, type BulkResultSchema } from '../../openapi/schemas/bulk.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import type { FileStorage } from '../storage/port.ts';
import type { Actor } from '../support/actor.ts';

export type BulkResult = z.output<typeof BulkResultSchema>;
export type BulkTotals = Omit<z.output<typeof BulkResponse>, 'results'>;

/** Records per transaction, as for batches: short locks, and multi-row statements that pay. */
export const BULK_CHUNK = 500;

/** Selections up to this many records (one chunk) are answered within the request; larger ones become a job. */
export const BULK_SYNC_MAX = BULK_CHUNK;

export type Applied = { results: BulkResult[]; storageKeys?: string[] };

export type BulkSelect<F> = { ids: string[] } | { filter: F };

export type BulkBody<F> = { action: string; value?: unknown; select: BulkSelect<F> };

/** What one resource brings to the bulk engine. */
export type BulkAdapter<F, V> = {
  permission(action: string): Permission;
  /** The validated value, and any check of it that needs the database (an owner must be an active member). */
  prepare(tx: Tx, actor: Actor, action: string, value: unknown): Promise<V>;
  /** Ids of the visible records matching the filter, newest first, at most `limit`. */
  select(tx: Tx, actor: Actor, filter: F, limit: number): Promise<string[]>;
  /** The chunk's results, and the stored files of deleted records, removed once the chunk committed. */
  apply(tx: Tx, actor: Actor, action: string, value: V, ids: string[]): Promise<Applied>;
};

/** What running chunks needs: the shards to write in, and the storage whose files deleted records leave behind. */
export type ChunkDeps = { shards: ShardSet; storage: FileStorage; log: { error(o: object, msg: string): void } };

/**
 * The validated value and the ids the selection resolves to, at most BULK_MAX_RECORDS (else 400), in the caller's
 * transaction, so a job can be made from them in the same one.
 */
export async function resolveBulk<F, V>(tx: Tx, actor: Actor, adapter: BulkAdapter<F, V>, body: BulkBody<F>) {
  const value = await adapter.prepare(tx, actor, body.action, body.value);
  const ids =
    'ids' in body.select
      ? [...new Set(body.select.ids)]
      : await adapter.select(tx, actor, body.select.filter, BULK_MAX_RECORDS + 1);
  if (ids.length > BULK_MAX_RECORDS) {
    throw badRequest('too_many_records', `The filter matches more than ${BULK_MAX_RECORDS} records; narrow it`, [
      { path: 'select.filter', message: `Matches more than ${BULK_MAX_RECORDS} records` },
    ]);
  }
  return { value, ids };
}

/** Removes the stored files of records deleted by a committed chunk; a failure only leaves an orphan file, logged. */
export async function removeFiles(deps: ChunkDeps, keys: string[] | undefined): Promise<void> {
  for (const key of keys ?? []) {
    await deps.storage.delete(key).catch((err) => deps.log.error({ err, key }, 'could not delete a removed file'));
  }
}

/** Applies the action to the ids chunk by chunk within the request; each chunk commits on its own. */
export async function runChunks<F, V>(
  deps: ChunkDeps,
  actor: Actor,
  adapter: BulkAdapter<F, V>,
  action: string,
  value: V,
  ids: string[],
) {
  const results: BulkResult[] = [];
  for (let start = 0; start < ids.length; start += BULK_CHUNK) {
    const chunk = ids.slice(start, start + BULK_CHUNK);
    const applied = await deps.shards.withTenant(actor.principal.organizationId, (tx) =>
      adapter.apply(tx, actor, action, value, chunk),
    );
    results.push(...applied.results);
    await removeFiles(deps, applied.storageKeys);
  }
  return { results, ...tally(results) };
}

/** The counters of a list of results. */
export function tally(results: BulkResult[]): BulkTotals {
  const count = (status: BulkResult['status']) => results.filter((r) => r.status === status).length;
  return {
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    notFound: count('not_found'),
  };
}
