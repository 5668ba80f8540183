import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import type { ShardSet } from '../../../db/shard-set.ts';
import type { JobSender } from '../../emails/queue.ts';
import { instants, rows } from '../sql.ts';
import { recomputeHours } from './recompute.ts';
import { epochMs, lockAnalytics } from './state.ts';

/**
 * Hours waiting for their roll-ups to be rebuilt (db/schema/analytics.ts, `analytics_dirty_hours`). The analyzer
 * marks an event's hours in the event's transaction and queues one rebuild per organization; the rebuild takes every
 * marked hour of the organization at once, so a hour written to a thousand times in a second is rebuilt once, not a
 * thousand times. Both hold the organization's analytics lock, so a mark made while a rebuild runs waits for it and
 * is rebuilt by the next one.
 */
export const REBUILD_QUEUE = 'analytics.rebuild';
export type RebuildJob = { organizationId: string };

/** How long a first mark waits for others to gather before its rebuild starts. */
export const REBUILD_DELAY_SECONDS = 1;

/** Hours one rebuild transaction takes; more are left for the job it queues next. */
export const REBUILD_MAX_HOURS = 2_000;

/**
 * Marks hours for rebuilding and queues the organization's rebuild in the caller's transaction. The queue keeps at
 * most one waiting rebuild per organization (policy `stately`, keyed by organization), so a second mark before it
 * starts adds no job.
 */
export async function markDirty(tx: Tx, jobs: JobSender, organizationId: string, hours: readonly Date[]) {
  if (hours.length === 0) return;
  await tx.execute(sql`INSERT INTO analytics_dirty_hours (organization_id, hour)
    SELECT ${organizationId}::uuid, h FROM unnest(${instants(hours)}) AS h ON CONFLICT DO NOTHING`);
  await queueRebuild(tx, jobs, organizationId);
}

function queueRebuild(tx: Tx, jobs: JobSender, organizationId: string) {
  return jobs.send<RebuildJob>(
    tx,
    REBUILD_QUEUE,
    { organizationId },
    { singletonKey: organizationId, startAfter: REBUILD_DELAY_SECONDS },
  );
}

/**
 * Rebuilds up to `max` of the organization's marked hours (oldest first) and clears their marks, in one
 * transaction; returns how many hours are still marked.
 */
export async function rebuildDirtyHours(tx: Tx, organizationId: string, max = REBUILD_MAX_HOURS): Promise<number> {
  await lockAnalytics(tx, organizationId);
  const taken = await rows<{ at: string }>(
    tx,
    sql`DELETE FROM analytics_dirty_hours WHERE organization_id = ${organizationId} AND hour IN (
        SELECT hour FROM analytics_dirty_hours WHERE organization_id = ${organizationId} ORDER BY hour LIMIT ${max}
      ) RETURNING ${epochMs(sql`hour`)} AS at`,
  );
  await recomputeHours(
    tx,
    organizationId,
    taken.map((t) => new Date(Number(t.at))),
  );
  if (taken.length < max) return 0;
  const [left] = await rows<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM analytics_dirty_hours WHERE organization_id = ${organizationId}`,
  );
  return left?.n ?? 0;
}

/** The rebuild job: one transaction, and the next job when hours are left. */
export async function runRebuildJob(shards: ShardSet, jobs: JobSender, job: RebuildJob): Promise<void> {
  await shards.withTenant(job.organizationId, async (tx) => {
    const left = await rebuildDirtyHours(tx, job.organizationId);
    if (left > 0) await queueRebuild(tx, jobs, job.organizationId);
  });
}

/** Rebuilds every marked hour of an organization now (tests, the benchmark, operators). */
export async function rebuildAllDirtyHours(shards: ShardSet, organizationId: string): Promise<void> {
  let left: number;
  do {
    left = await shards.withTenant(organizationId, (tx) => rebuildDirtyHours(tx, organizationId));
  } while (left > 0);
}
