import type { ShardSet } from '../../db/shard-set.ts';
import { applyAnalyticsEvents } from '../../regions/analytics/rollup/apply.ts';
import { BACKFILL_QUEUE, type BackfillJob, runBackfillJob } from '../../regions/analytics/rollup/backfill.ts';
import { REBUILD_QUEUE, type RebuildJob, runRebuildJob } from '../../regions/analytics/rollup/dirty.ts';
import {
  ANALYTICS_EVENT_TYPES,
  ANALYZER_CONSUMER,
  DEFAULT_SETTLE_SECONDS,
} from '../../regions/analytics/rollup/state.ts';
import { DEFAULT_SNAPSHOT_CRON, runDailySnapshots, SNAPSHOT_QUEUE } from '../../regions/analytics/snapshots/live.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { applyEachOnce, ofRegion } from '../../regions/events/consumer.ts';
import { RESCORE_QUEUE, type RescoreJob, runRescoreJob } from '../../regions/scoring/recompute.ts';
import type { Worker } from '../context.ts';

/** `ANALYTICS_SETTLE_SECONDS`: how long a write's transaction may stay open after making its event (state.ts). */
export function settleSeconds(env: NodeJS.ProcessEnv): number {
  const value = Number(env.ANALYTICS_SETTLE_SECONDS ?? DEFAULT_SETTLE_SECONDS);
  if (!Number.isFinite(value) || value < 0) throw new Error('ANALYTICS_SETTLE_SECONDS must be a number of seconds');
  return value;
}

/**
 * Applies events to their organizations' roll-ups at most once, each organization's together; resolves those
 * applied now (an event applied before is left out).
 */
export function analyzerHandler(shards: ShardSet, jobs: JobSender, settle = DEFAULT_SETTLE_SECONDS) {
  return applyEachOnce(shards, ANALYZER_CONSUMER, (tx, events: readonly BusEvent[]) =>
    applyAnalyticsEvents(tx, events, { jobs, settleSeconds: settle }),
  );
}

/**
 * The data analyzer: keeps each organization's analytics roll-ups (regions/analytics/rollup/) and pipeline
 * snapshots (regions/analytics/snapshots/) current from lead, contact, deal and activity events (group
 * `analyzer-<region>`: each event marks its hours, one rebuild job per organization recounts them), works the backfill that builds them for an organization that has none, a chunk of days per
 * job, takes the daily snapshot (`ANALYTICS_SNAPSHOT_CRON`, UTC, one runner per occurrence), and rescores an
 * organization's leads when its scoring rules change (regions/scoring/recompute.ts).
 */
export const analyzerWorker: Worker = {
  name: 'analyzer',
  queues: [
    { name: BACKFILL_QUEUE, retryLimit: 10, retryDelay: 30, retryBackoff: true },
    { name: RESCORE_QUEUE, retryLimit: 10, retryDelay: 30, retryBackoff: true },
    // One waiting and one running rebuild per organization (keyed by it): marks made meanwhile join the waiting one.
    { name: REBUILD_QUEUE, policy: 'stately', retryLimit: 10, retryDelay: 5, retryBackoff: true },
    // A missed day is done by the next occurrence's yesterday, or by the events' rebuilds: no retries.
    { name: SNAPSHOT_QUEUE, policy: 'singleton', retryLimit: 0 },
  ],
  consumerGroups: (region) => [`analyzer-${region}`],
  async start(ctx) {
    await ctx.jobs.work<BackfillJob>(BACKFILL_QUEUE, { concurrency: 1 }, (job) =>
      runBackfillJob(ctx.shards, ctx.jobs, job.data),
    );
    await ctx.jobs.work<RebuildJob>(REBUILD_QUEUE, { concurrency: 1, batchSize: 1 }, (job) =>
      runRebuildJob(ctx.shards, ctx.jobs, job.data),
    );
    await ctx.jobs.work<RescoreJob>(RESCORE_QUEUE, { concurrency: 1, batchSize: 1 }, (job) =>
      runRescoreJob(ctx.shards, job.data),
    );
    await ctx.jobs.work(SNAPSHOT_QUEUE, {}, async () => {
      const counts = await runDailySnapshots({ region: ctx.region, shards: ctx.shards, jobs: ctx.jobs, log: ctx.log });
      ctx.log.info(counts, 'pipeline snapshots taken');
    });
    await ctx.jobs.schedule(SNAPSHOT_QUEUE, ctx.env.ANALYTICS_SNAPSHOT_CRON ?? DEFAULT_SNAPSHOT_CRON);
    const handle = analyzerHandler(ctx.shards, ctx.jobs, settleSeconds(ctx.env));
    return ctx.bus.subscribeBatches(
      `analyzer-${ctx.region}`,
      { types: ANALYTICS_EVENT_TYPES, batchSize: 200 },
      async (events) => {
        await handle(ofRegion(events, ctx.region));
      },
    );
  },
};
