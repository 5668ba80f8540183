import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { idempotencyKeys } from '../../db/schema/index.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { BatchResource } from '../../openapi/routes/batch/route.ts';
import type { BatchRequest, BatchResponse } from '../../openapi/schemas/batch.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, storeIdempotentResponse } from '../support/idempotency.ts';
import { type BatchResult, failed, type MatchOn, parseRecord } from './outcome.ts';

/** Records per transaction: large enough for multi-row writes to pay, small enough to keep locks short. */
export const BATCH_CHUNK = 500;

export type Item<I> = { index: number; input: I; externalId: string | undefined; key: string | undefined };

/** What one resource brings to the batch engine: its schema, match keys and how it writes a chunk. */
export type BatchAdapter<I> = {
  resource: BatchResource;
  create: Permission;
  update: Permission;
  schema: z.ZodType<I>;
  matchOn: readonly MatchOn[];
  /** The normalised value an upsert matches on, if the record has one. */
  keyOf(item: Omit<Item<I>, 'key'>, matchOn: MatchOn): string | undefined;
  /** Values besides the key and externalId that are unique in the organization (a company's domain). */
  claimsOf?(input: I): Record<string, string | null | undefined>;
  writeChunk(tx: Tx, actor: Actor, items: Item<I>[], matchOn: MatchOn | null): Promise<BatchResult[]>;
  /** Counts what a request created, for the region's metrics. */
  counted?(ctx: RegionContext, created: number): void;
};

type Body = z.infer<typeof BatchRequest>;
type Response = z.output<typeof BatchResponse>;

/** Validates every record, writes the valid ones chunk by chunk, and answers one result per record in order. */
export async function runBatch<I>(
  ctx: RegionContext,
  actor: Actor,
  adapter: BatchAdapter<I>,
  body: Body,
  idempotencyKey?: string,
): Promise<{ body: Response; replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, adapter.create);
  const matchOn = body.mode === 'upsert' ? upsertKey(adapter, body.matchOn) : null;
  if (matchOn) assertCan(principal, adapter.update);
  const { organizationId } = principal;
  if (idempotencyKey) {
    const request = { op: `batch:${adapter.resource}`, body, actor: actorId(principal) };
    const prior = await ctx.shards.withTenant(organizationId, (tx) =>
      claimIdempotencyKey(tx, organizationId, idempotencyKey, request),
    );
    if (prior) return { body: prior.body as Response, replayed: true };
  }
  try {
    const { items, results } = prepare(adapter, body, matchOn);
    for (let start = 0; start < items.length; start += BATCH_CHUNK) {
      const chunk = items.slice(start, start + BATCH_CHUNK);
      results.push(
        ...(await ctx.shards.withTenant(organizationId, (tx) => adapter.writeChunk(tx, actor, chunk, matchOn))),
      );
    }
    const response = summarise(results);
    adapter.counted?.(ctx, response.created);
    if (idempotencyKey) {
      await ctx.shards.withTenant(organizationId, (tx) =>
        storeIdempotentResponse(tx, organizationId, idempotencyKey, { status: 200, body: response }),
      );
    }
    return { body: response, replayed: false };
  } catch (error) {
    // The chunks already committed stay; the key is released so a retry is not refused as a reuse.
    if (idempotencyKey) await releaseKey(ctx, organizationId, idempotencyKey);
    throw error;
  }
}

function upsertKey<I>(adapter: BatchAdapter<I>, matchOn: MatchOn | undefined): MatchOn {
  if (matchOn && adapter.matchOn.includes(matchOn)) return matchOn;
  throw badRequest('validation_failed', `An upsert of ${adapter.resource} matches on ${adapter.matchOn.join(' or ')}`, [
    { path: 'matchOn', message: `Must be ${adapter.matchOn.join(' or ')}` },
  ]);
}

function prepare<I>(adapter: BatchAdapter<I>, body: Body, matchOn: MatchOn | null) {
  const items: Item<I>[] = [];
  const results: BatchResult[] = [];
  const claimedBy = new Map<string, number>();
  for (const [index, record] of body.records.entries()) {
    const parsed = parseRecord(adapter.schema, index, record);
    if ('status' in parsed) {
      results.push(parsed);
      continue;
    }
    const key = matchOn ? adapter.keyOf({ index, ...parsed }, matchOn) : undefined;
    if (matchOn && key === undefined) {
      const issue = { path: matchOn, message: 'Required to match on' };
      results.push(failed(index, 'validation_failed', `An upsert needs ${matchOn} on every record`, [issue]));
      continue;
    }
    // Two records claiming one key or unique value would race each other inside the batch: the first one wins,
    // the others fail.
    const claims = Object.entries({
      ...adapter.claimsOf?.(parsed.input),
      externalId: parsed.externalId,
      ...(matchOn ? { [matchOn]: key } : {}),
    }).flatMap(([field, value]) => (value == null ? [] : [`${field}:${value}`]));
    const clash = claims.find((claim) => claimedBy.has(claim));
    if (clash !== undefined) {
      const field = clash.slice(0, clash.indexOf(':'));
      results.push(failed(index, 'duplicate_in_batch', `Same ${field} as record ${claimedBy.get(clash)}`));
      continue;
    }
    for (const claim of claims) claimedBy.set(claim, index);
    items.push({ index, ...parsed, key });
  }
  return { items, results };
}

function summarise(results: BatchResult[]): Response {
  results.sort((a, b) => a.index - b.index);
  const count = (status: BatchResult['status']) => results.filter((r) => r.status === status).length;
  return { results, created: count('created'), updated: count('updated'), failed: count('failed') };
}

async function releaseKey(ctx: RegionContext, organizationId: string, key: string) {
  await ctx.shards
    .withTenant(organizationId, (tx) =>
      tx
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key))),
    )
    .catch(() => undefined);
}
