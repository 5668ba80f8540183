import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Connection } from '../database.ts';
import { newId } from '../ids.ts';
import { rowsOf } from '../rows.ts';
import { type ShardMoveState, shardBucketFences, shardMaps, shardMoves } from '../schema/index.ts';
import { BUCKET_COUNT, type ShardMap } from '../shard-map.ts';
import { readMap } from '../shard-set.ts';
import { bucketArray, catchUpAll, catchUpRound, forgetChanges, installCapture, removeCapture } from './capture.ts';
import { asMover, copyOrganization } from './copy.ts';
import { FENCE_LOCK_CLASS } from './fence.ts';
import { quote, type TenantTable, tenantTables } from './tables.ts';

export type ShardMove = typeof shardMoves.$inferSelect;

export type MoveContext = {
  region: string;
  /** Every shard of the region, the catalog (map-holding) shard first, as ShardSet.open orders them. */
  shards: Connection[];
  log?: (message: string) => void;
  /** How long the fence may wait for the buckets' running transactions before it gives up and tries later. */
  drainTimeoutMs?: number;
  /** Catch-up rounds stop and the fence starts once a round applies fewer changes than this. */
  quietChanges?: number;
};

/** A move that cannot start: bad buckets, an unknown shard, another move in flight (the CLI prints it). */
export class MoveRefused extends Error {}

const IN_FLIGHT: ShardMoveState[] = ['copying', 'catching_up', 'fenced', 'switched'];

const catalogOf = (ctx: MoveContext) => ctx.shards[0]!;

function shardOf(ctx: MoveContext, id: string): Connection {
  const shard = ctx.shards.find((s) => s.id === id);
  if (!shard) throw new MoveRefused(`shard ${id} is not configured (SHARD_URLS)`);
  return shard;
}

async function currentMap(ctx: MoveContext): Promise<ShardMap> {
  const map = await readMap(ctx.region, ctx.shards);
  if (!map) throw new MoveRefused(`region ${ctx.region} has no shard map yet; start the region once`);
  return map;
}

export async function movesInFlight(ctx: MoveContext): Promise<ShardMove[]> {
  return catalogOf(ctx)
    .db.select()
    .from(shardMoves)
    .where(and(eq(shardMoves.region, ctx.region), inArray(shardMoves.state, IN_FLIGHT)))
    .orderBy(desc(shardMoves.createdAt));
}

/** Records a move of `buckets` (all on one shard now) to shard `to`; `runMove` carries it out. */
export async function planMove(ctx: MoveContext, buckets: number[], to: string): Promise<ShardMove> {
  const unique = [...new Set(buckets)].sort((a, b) => a - b);
  if (unique.length === 0) throw new MoveRefused('name at least one bucket');
  const bad = unique.filter((b) => !Number.isInteger(b) || b < 0 || b >= BUCKET_COUNT);
  if (bad.length) throw new MoveRefused(`buckets must be whole numbers 0–${BUCKET_COUNT - 1}: ${bad.join(', ')}`);
  shardOf(ctx, to);
  const map = await currentMap(ctx);
  const sources = new Set(unique.map((b) => map.shardIds[map.buckets[b]!]!));
  if (sources.size > 1) throw new MoveRefused(`buckets ${unique.join(',')} are on several shards: move them apart`);
  const [from] = [...sources] as [string];
  if (from === to) throw new MoveRefused(`buckets ${unique.join(',')} are on ${to} already`);
  const busy = await movesInFlight(ctx);
  if (busy.length) throw new MoveRefused(`move ${busy[0]!.id} is in flight (${busy[0]!.state}); resume it first`);
  const [move] = await catalogOf(ctx)
    .db.insert(shardMoves)
    .values({
      id: newId(),
      region: ctx.region,
      buckets: unique,
      fromShard: from,
      toShard: to,
      state: 'copying',
      baseVersion: map.version,
    })
    .returning();
  return move!;
}

async function setState(ctx: MoveContext, move: ShardMove, state: ShardMoveState, extra: Partial<ShardMove> = {}) {
  await catalogOf(ctx)
    .db.update(shardMoves)
    .set({ state, lastError: null, updatedAt: new Date(), ...extra })
    .where(eq(shardMoves.id, move.id));
  Object.assign(move, { state, ...extra });
  ctx.log?.(`move ${move.id}: ${state}`);
}

async function setFences(shard: Connection, move: ShardMove, state: 'departing' | 'moved' | 'left' | 'incoming') {
  await shard.db
    .insert(shardBucketFences)
    .values(move.buckets.map((bucket) => ({ bucket, state, moveId: move.id })))
    .onConflictDoUpdate({
      target: shardBucketFences.bucket,
      set: { state, moveId: move.id, updatedAt: new Date() },
    });
}

/** The organizations of the buckets on a shard (the mover's own policy on `organizations`, migration 0027). */
async function organizationsIn(shard: Connection, buckets: number[]): Promise<string[]> {
  return shard.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('app.shard_mover', 'on', true)`);
    const rows = await rowsOf<{ id: string }>(
      tx,
      sql`SELECT id FROM organizations WHERE crm_bucket(id) = ANY(${bucketArray(buckets)}::int[]) ORDER BY id`,
    );
    return rows.map((r) => r.id);
  });
}

/**
 * Carries a recorded move through its states; each step may be repeated, so a move that stopped (crash, a fence
 * that could not drain) resumes from the state it recorded.
 */
export async function runMove(ctx: MoveContext, move: ShardMove): Promise<ShardMove> {
  const source = shardOf(ctx, move.fromShard);
  const target = shardOf(ctx, move.toShard);
  const tables = await tenantTables(source);
  try {
    if (move.state === 'copying') {
      await setFences(target, move, 'incoming');
      await setFences(source, move, 'departing');
      await installCapture(source, tables);
      const organizations = await organizationsIn(source, move.buckets);
      let rows = 0;
      for (const organizationId of organizations)
        rows += await copyOrganization(source, target, tables, organizationId);
      ctx.log?.(`move ${move.id}: copied ${rows} rows of ${organizations.length} organizations`);
      await setState(ctx, move, 'catching_up');
    }
    if (move.state === 'catching_up') {
      const quiet = ctx.quietChanges ?? 100;
      for (let round = 0; round < 50; round++) {
        const applied = await catchUpRound(source, target, tables, move.buckets);
        ctx.log?.(`move ${move.id}: catch-up round ${round + 1} applied ${applied} changes`);
        if (applied < quiet) break;
      }
      await setState(ctx, move, 'fenced');
    }
    if (move.state === 'fenced') await fenceAndSwitch(ctx, move, source, target, tables);
    if (move.state === 'switched') {
      // Writers that bypass the fence (workers scanning a shard) may have changed a row since: copy it too.
      await catchUpAll(source, target, tables, move.buckets);
      // `left` before the deletes, so that the capture trigger does not record them.
      await setFences(source, move, 'left');
      const organizations = await organizationsIn(source, move.buckets);
      for (const organizationId of organizations) await deleteOrganization(source, tables, organizationId);
      await forgetChanges(source, move.buckets);
      await removeCapture(source, tables);
      await setState(ctx, move, 'cleaned');
    }
    return move;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await catalogOf(ctx)
      .db.update(shardMoves)
      .set({ lastError: message, updatedAt: new Date() })
      .where(eq(shardMoves.id, move.id));
    throw error;
  }
}

/**
 * The write fence. One source transaction takes each bucket's advisory lock exclusively, which waits for the
 * transactions already in the buckets and holds off new ones, and marks the buckets `moved`; from its commit on no
 * tenant transaction enters them on the source again. The last changes are applied, the map version is switched on
 * the catalog with the move's state, and the target starts serving. Writers meanwhile wait (ShardSet.fenceWaitMs).
 */
async function fenceAndSwitch(
  ctx: MoveContext,
  move: ShardMove,
  source: Connection,
  target: Connection,
  tables: TenantTable[],
) {
  const started = Date.now();
  await source.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SET LOCAL lock_timeout = '${Math.max(100, ctx.drainTimeoutMs ?? 5_000)}ms'`));
    for (const bucket of move.buckets) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${FENCE_LOCK_CLASS}, ${bucket})`);
    }
    await tx
      .insert(shardBucketFences)
      .values(move.buckets.map((bucket) => ({ bucket, state: 'moved' as const, moveId: move.id })))
      .onConflictDoUpdate({ target: shardBucketFences.bucket, set: { state: 'moved', updatedAt: new Date() } });
  });
  const applied = await catchUpAll(source, target, tables, move.buckets);
  const catalog = catalogOf(ctx);
  await catalog.db.transaction(async (tx) => {
    const [latest] = await tx
      .select()
      .from(shardMaps)
      .where(eq(shardMaps.region, ctx.region))
      .orderBy(desc(shardMaps.version))
      .limit(1)
      .for('update');
    if (!latest) throw new Error(`region ${ctx.region} lost its shard map`);
    const shardIds = [...latest.shardIds];
    if (!shardIds.includes(move.toShard)) shardIds.push(move.toShard);
    const toIndex = shardIds.indexOf(move.toShard);
    let version = latest.version;
    if (move.buckets.some((b) => latest.buckets[b] !== toIndex)) {
      version += 1;
      const buckets = latest.buckets.map((index, b) => (move.buckets.includes(b) ? toIndex : index));
      await tx.insert(shardMaps).values({ region: ctx.region, version, shardIds, buckets });
    }
    await tx
      .update(shardMoves)
      .set({ state: 'switched', mapVersion: version, lastError: null, updatedAt: new Date() })
      .where(eq(shardMoves.id, move.id));
    Object.assign(move, { state: 'switched', mapVersion: version });
  });
  await target.db
    .delete(shardBucketFences)
    .where(and(inArray(shardBucketFences.bucket, move.buckets), eq(shardBucketFences.state, 'incoming')));
  ctx.log?.(
    `move ${move.id}: switched to map v${move.mapVersion} after a ${Date.now() - started} ms fence (${applied} last changes)`,
  );
}

/** Deletes the organization's rows from a shard that no longer serves it, children first. */
async function deleteOrganization(shard: Connection, tables: TenantTable[], organizationId: string) {
  await asMover(shard, organizationId, async (tx) => {
    for (const table of [...tables].reverse()) {
      await tx.execute(
        sql`DELETE FROM ${sql.raw(quote(table.name))} WHERE ${sql.raw(quote(table.tenantColumn))} = ${organizationId}`,
      );
    }
  });
}

/**
 * Gives a move up before its switch: the source serves the buckets as before, the target's partial copy is
 * deleted, and capture stops. A switched move is past this point: it can only be resumed.
 */
export async function abandonMove(ctx: MoveContext, move: ShardMove): Promise<void> {
  if (move.state === 'switched' || move.state === 'cleaned')
    throw new MoveRefused('a switched move can only be resumed');
  const source = shardOf(ctx, move.fromShard);
  const target = shardOf(ctx, move.toShard);
  const tables = await tenantTables(source);
  await source.db
    .delete(shardBucketFences)
    .where(and(inArray(shardBucketFences.bucket, move.buckets), notInArray(shardBucketFences.state, ['left'])));
  await removeCapture(source, tables);
  await forgetChanges(source, move.buckets);
  for (const organizationId of await organizationsIn(target, move.buckets)) {
    await deleteOrganization(target, tables, organizationId);
  }
  await target.db
    .delete(shardBucketFences)
    .where(and(inArray(shardBucketFences.bucket, move.buckets), eq(shardBucketFences.state, 'incoming')));
  await setState(ctx, move, 'failed');
}
