import type { z } from '@hono/zod-openapi';
import type { Tx } from '../../db/database.ts';
import { badRequest } from '../../openapi/errors.ts';
import { BULK_MAX_RECORDS, type BulkResponse, type BulkResultSchema } from '../../openapi/schemas/bulk.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { removeStoredFiles } from '../privacy/attachments.ts';
import type { Actor } from '../support/actor.ts';

export type BulkResult = z.output<typeof BulkResultSchema>;
type Response = z.output<typeof BulkResponse>;

/** Records per transaction, as for batches: short locks, and multi-row statements that pay. */
export const BULK_CHUNK = 500;

export type Applied = { results: BulkResult[]; storageKeys?: string[] };

export type BulkSelect<F> = { ids: string[] } | { filter: F };

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

/** Resolves the selection and applies the action chunk by chunk; each chunk commits on its own. */
export async function runBulk<F, V>(
  ctx: RegionContext,
  actor: Actor,
  adapter: BulkAdapter<F, V>,
  body: { action: string; value?: unknown; select: BulkSelect<F> },
): Promise<Response> {
  const { principal } = actor;
  assertCan(principal, adapter.permission(body.action));
  const { organizationId } = principal;
  const { value, ids } = await ctx.shards.withTenant(organizationId, async (tx) => ({
    value: await adapter.prepare(tx, actor, body.action, body.value),
    ids:
      'ids' in body.select
        ? [...new Set(body.select.ids)]
        : await adapter.select(tx, actor, body.select.filter, BULK_MAX_RECORDS + 1),
  }));
  if (ids.length > BULK_MAX_RECORDS) {
    throw badRequest('too_many_records', `The filter matches more than ${BULK_MAX_RECORDS} records; narrow it`, [
      { path: 'select.filter', message: `Matches more than ${BULK_MAX_RECORDS} records` },
    ]);
  }
  const results: BulkResult[] = [];
  for (let start = 0; start < ids.length; start += BULK_CHUNK) {
    const chunk = ids.slice(start, start + BULK_CHUNK);
    const applied = await ctx.shards.withTenant(organizationId, (tx) =>
      adapter.apply(tx, actor, body.action, value, chunk),
    );
    results.push(...applied.results);
    if (applied.storageKeys?.length) await removeStoredFiles(ctx, applied.storageKeys);
  }
  const count = (status: BulkResult['status']) => results.filter((r) => r.status === status).length;
  return {
    results,
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    notFound: count('not_found'),
  };
}
