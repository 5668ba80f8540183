import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.ts';
import type { ShardSet } from '../../../db/shard-set.ts';
import type { JobSender } from '../../emails/queue.ts';
import type { BusEvent } from '../../events/bus.ts';
import { organizationsPlacedIn } from '../../support/placed.ts';
import { addDays } from '../calendar.ts';
import { requestBackfill } from '../rollup/backfill.ts';
import { DAY_MS } from '../rollup/buckets.ts';
import { lockAnalytics, readState } from '../rollup/state.ts';
import { recordIdsOf } from '../rollup/touched.ts';
import { rows } from '../sql.ts';
import { daysFrom, dealDays, rebuildDays, rememberDeals } from './build.ts';

/** The analyzer's daily job: the day that just ended and the new one, for every organization of the region. */
export const SNAPSHOT_QUEUE = 'analytics.snapshot';
export const DEFAULT_SNAPSHOT_CRON = '5 0 * * *';

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const tables = ['pipeline_snapshots', 'pipeline_snapshot_days', 'pipeline_snapshot_deals'];

export async function clearSnapshots(tx: Tx, organizationId: string): Promise<void> {
  for (const table of tables) {
    await tx.execute(sql`DELETE FROM ${sql.raw(table)} WHERE organization_id = ${organizationId}`);
  }
}

/**
 * A backfill chunk's days, [from, to) as UTC midnights, up to today (a deal closed in the future has no snapshot
 * there yet, as the live path keeps none), and every deal's first day on the first chunk.
 */
export async function rebuildSnapshotChunk(
  tx: Tx,
  organizationId: string,
  from: Date,
  to: Date,
  now = new Date(),
): Promise<void> {
  // `to` is a UTC midnight: the day before it, or today if that is earlier.
  const last = utcDay(new Date(Math.min(to.getTime() - DAY_MS, now.getTime())));
  if (last >= utcDay(from)) await rebuildDays(tx, organizationId, { from: utcDay(from), to: last });
  await rememberDeals(tx, organizationId, null, utcDay(now));
}

/**
 * A deal event's effect on the snapshots, in the analyzer's transaction (under its lock): the days each named deal
 * is counted on now, and today (a move or a close changes today's), are rebuilt. A deal that is gone was deleted:
 * its days run from its first one, as remembered when it was last rebuilt, to today.
 */
export async function applyDealEvent(tx: Tx, event: BusEvent, now = new Date()): Promise<void> {
  if (!event.type.startsWith('deal.')) return;
  const { organizationId } = event;
  const today = utcDay(now);
  const ids = recordIdsOf(event);
  const present = await rows<{ id: string }>(
    tx,
    sql`SELECT id FROM deals WHERE organization_id = ${organizationId}
      AND id = ANY(${`{${ids.join(',')}}`}::uuid[])`,
  );
  const presentIds = present.map((p) => p.id);
  const days = new Set(await dealDays(tx, organizationId, presentIds, today));
  days.add(today);
  const gone = ids.filter((id) => !presentIds.includes(id));
  if (gone.length > 0) {
    const [first] = await rows<{ day: string | null }>(
      tx,
      sql`SELECT to_char(min(first_day), 'YYYY-MM-DD') AS day FROM pipeline_snapshot_deals
        WHERE organization_id = ${organizationId} AND deal_id = ANY(${`{${gone.join(',')}}`}::uuid[])`,
    );
    if (first?.day) for (const day of daysFrom(first.day, today)) days.add(day);
  }
  await rebuildDays(tx, organizationId, { list: [...days] });
  if (presentIds.length > 0) await rememberDeals(tx, organizationId, presentIds, today);
}

/**
 * The daily snapshot of one organization: yesterday (final now that it ended) and today. An organization with deals
 * but no snapshot yet (its roll-ups were built before snapshots existed) gets a backfill instead, which builds both.
 */
export async function snapshotOrganization(tx: Tx, jobs: JobSender, organizationId: string, now: Date) {
  await lockAnalytics(tx, organizationId);
  const [seen] = await rows<{ deals: boolean; built: boolean }>(
    tx,
    sql`SELECT EXISTS (SELECT 1 FROM deals WHERE organization_id = ${organizationId}) AS deals,
      EXISTS (SELECT 1 FROM pipeline_snapshot_days WHERE organization_id = ${organizationId}) AS built`,
  );
  if (!seen?.deals) return 'none' as const;
  const state = await readState(tx, organizationId);
  if (!seen.built) {
    // A running backfill builds them; a finished one predates snapshots and must run again.
    if (!state || state.backfilledAt) await requestBackfill(tx, jobs, organizationId, now);
    return 'backfill' as const;
  }
  const today = utcDay(now);
  await rebuildDays(tx, organizationId, { from: addDays(today, -1), to: today });
  return 'snapshot' as const;
}

/** Every organization placed in the region, each in its own transaction so one failing holds back no other. */
export async function runDailySnapshots(
  deps: { region: string; shards: ShardSet; jobs: JobSender; log: { error(o: object, m: string): void } },
  now = new Date(),
) {
  const counts = { snapshot: 0, backfill: 0, none: 0 };
  const organizationIds = await organizationsPlacedIn(deps.shards, deps.region);
  for (const id of organizationIds) {
    try {
      counts[await deps.shards.withTenant(id, (tx) => snapshotOrganization(tx, deps.jobs, id, now))]++;
    } catch (err) {
      deps.log.error({ err, organizationId: id }, 'pipeline snapshot failed for an organization');
    }
  }
  return counts;
}
