import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import type { ShardSet } from '../../../db/shard-set.ts';
import type { JobSender } from '../../emails/queue.ts';
import { clearSnapshots, rebuildSnapshotChunk } from '../snapshots/live.ts';
import { activityHappenedAt, rows } from '../sql.ts';
import { DAY_MS, floorTo } from './buckets.ts';
import { ROLLUP_TABLES, recomputeDays } from './recompute.ts';
import { beginBackfill, DEFAULT_SETTLE_SECONDS, epochMs, lockAnalytics, readState } from './state.ts';

/** The analyzer's queue: one job per chunk of an organization's backfill, each queuing the next. */
export const BACKFILL_QUEUE = 'analytics.backfill';
export type BackfillJob = { organizationId: string };

/** Days one transaction rebuilds: a month of a million-lead organization is a few seconds' work. */
export const BACKFILL_CHUNK_DAYS = 31;

const rollupTables = [...ROLLUP_TABLES, 'analytics_hour_records'];

/**
 * The first and last instants anything the roll-ups count happened at (null: nothing yet). Pipeline snapshots
 * count every day from a deal's creation to today.
 */
async function extent(tx: Tx, organizationId: string): Promise<{ first: Date; last: Date } | null> {
  const happened = activityHappenedAt('a');
  const [row] = await rows<{ first: string | null; last: string | null }>(
    tx,
    sql`WITH t (first, last) AS (
        SELECT min(created_at), max(created_at) FROM leads WHERE organization_id = ${organizationId}
        UNION ALL SELECT min(closed_at), max(closed_at) FROM deals
          WHERE organization_id = ${organizationId} AND status IN ('won', 'lost')
        UNION ALL SELECT min(${happened}), max(${happened}) FROM activities a
          WHERE a.organization_id = ${organizationId}
        UNION ALL SELECT min(created_at), CASE WHEN count(*) > 0 THEN now() END FROM deals
          WHERE organization_id = ${organizationId}
      )
      SELECT ${epochMs(sql`min(first)`)} AS first, ${epochMs(sql`max(last)`)} AS last FROM t`,
  );
  if (!row?.first || !row.last) return null;
  return { first: new Date(Number(row.first)), last: new Date(Number(row.last)) };
}

/**
 * Rebuilds the next chunk of whole UTC days of an organization's backfill; true once it is done (or none is
 * running). The first chunk clears whatever roll-ups there were, so buckets outside today's data go too. Writes
 * made meanwhile are the analyzer's (their events), and reports read no roll-up until the last chunk commits.
 */
export async function backfillChunk(tx: Tx, organizationId: string, chunkDays = BACKFILL_CHUNK_DAYS) {
  await lockAnalytics(tx, organizationId);
  const state = await readState(tx, organizationId);
  if (!state || state.backfilledAt) return true;
  const span = await extent(tx, organizationId);
  if (!state.backfillCursor) {
    for (const table of rollupTables) {
      await tx.execute(sql`DELETE FROM ${sql.raw(table)} WHERE organization_id = ${organizationId}`);
    }
    await clearSnapshots(tx, organizationId);
  }
  const last = span ? new Date(floorTo(span.last, DAY_MS).getTime() + DAY_MS) : null;
  const from = state.backfillCursor ?? (span ? floorTo(span.first, DAY_MS) : null);
  if (!last || !from || from >= last) {
    await tx.execute(sql`UPDATE analytics_state SET backfill_cursor = NULL, backfilled_at = now(), updated_at = now()
      WHERE organization_id = ${organizationId}`);
    return true;
  }
  const to = new Date(Math.min(from.getTime() + chunkDays * DAY_MS, last.getTime()));
  await recomputeDays(tx, organizationId, from, to);
  await rebuildSnapshotChunk(tx, organizationId, from, to);
  const done = to >= last;
  await tx.execute(sql`UPDATE analytics_state SET updated_at = now(),
      backfill_cursor = ${done ? null : to.toISOString()}::timestamptz,
      backfilled_at = ${done ? sql`now()` : sql`NULL`}
    WHERE organization_id = ${organizationId}`);
  return done;
}

/** Starts an organization's backfill in the caller's transaction; the analyzer's queue does the chunks. */
export async function requestBackfill(
  tx: Tx,
  jobs: JobSender,
  organizationId: string,
  now = new Date(),
  settleSeconds = DEFAULT_SETTLE_SECONDS,
): Promise<void> {
  await beginBackfill(tx, organizationId, now, settleSeconds);
  await jobs.send<BackfillJob>(tx, BACKFILL_QUEUE, { organizationId });
}

/** One job: a chunk, and the job for the next one in the same transaction. */
export async function runBackfillJob(shards: ShardSet, jobs: JobSender, job: BackfillJob): Promise<boolean> {
  return shards.withTenant(job.organizationId, async (tx) => {
    const done = await backfillChunk(tx, job.organizationId);
    if (!done) await jobs.send<BackfillJob>(tx, BACKFILL_QUEUE, job);
    return done;
  });
}

/**
 * The whole backfill in this process, chunk after chunk (each its own transaction): for set-ups that seed data
 * without events (the reports benchmark) and for tests.
 */
export async function backfillNow(
  shards: ShardSet,
  organizationId: string,
  options: { now?: Date; settleSeconds?: number; chunkDays?: number } = {},
): Promise<void> {
  await shards.withTenant(organizationId, (tx) =>
    beginBackfill(tx, organizationId, options.now ?? new Date(), options.settleSeconds ?? DEFAULT_SETTLE_SECONDS),
  );
  while (!(await shards.withTenant(organizationId, (tx) => backfillChunk(tx, organizationId, options.chunkDays)))) {
    // each chunk commits on its own, as the queue's jobs would
  }
}
