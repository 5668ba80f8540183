import type { ShardSet } from '../../db/shard-set.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import { applyEachOnce, ofRegion } from '../../regions/events/consumer.ts';
import { runRetention } from '../../regions/retention/run.ts';
import { tidyRegionSearchWords } from '../../regions/search/words.ts';
import { filesConfigFromEnv, openStorage } from '../../regions/storage/config.ts';
import type { Worker } from '../context.ts';
import { mayConcernWatchers, notifyWatchers, schedulerEventTypes, watchedAggregates } from './changes.ts';
import { schedulerConfig } from './config.ts';
import { runDigests } from './digests.ts';
import { sendDueReminders, syncTaskReminder } from './reminders.ts';

/** The consumer name under which processed events are recorded (processed_events). */
export const schedulerConsumer = 'scheduler';

/** The cron jobs: pg-boss files one job per occurrence however many processes hold the schedule. */
export const schedulerQueues = {
  reminders: 'scheduler.reminders',
  digests: 'scheduler.digests',
  retention: 'scheduler.retention',
  searchWords: 'scheduler.search-words',
} as const;

/**
 * Applies events at most once each, however often the bus delivers them: a task's reminder follows its activity,
 * and the watchers of the records they touched are told. Resolves the events applied now.
 */
export function schedulerHandler(shards: ShardSet, jobs: JobSender, reminderLeadMinutes: number) {
  return applyEachOnce(shards, schedulerConsumer, async (tx, events) => {
    const watched = await watchedAggregates(tx, events[0]!.organizationId, events);
    for (const event of events) {
      if (event.aggregateType === 'activity') {
        await syncTaskReminder(tx, event.organizationId, event.aggregateId, reminderLeadMinutes);
      }
      if (mayConcernWatchers(event, watched)) await notifyWatchers(tx, { jobs }, event);
    }
  });
}

/**
 * The watchlist scheduler: tells members of changes to the records they watch (`scheduler-<region>`), and runs
 * the region's periodic jobs on pg-boss cron schedules — task reminders, saved-view digests, retention and the tidy
 * of the search's words — each by one process per occurrence, however many run the worker.
 */
export const schedulerWorker: Worker = {
  name: 'scheduler',
  // One run of a job at a time (a long retention run is never overlapped by the next); a failed run is not
  // retried, as the next occurrence does the same work.
  queues: Object.values(schedulerQueues).map((name) => ({ name, policy: 'singleton', retryLimit: 0 })),
  consumerGroups: (region) => [`scheduler-${region}`],
  async start(ctx) {
    const config = schedulerConfig(ctx.env);
    const deps = { jobs: ctx.jobs, log: ctx.log };
    const storage = openStorage(filesConfigFromEnv(ctx.env, ctx.env.DATA_DIR ?? 'data', ctx.region).storage);
    await ctx.jobs.work(schedulerQueues.reminders, {}, async () => {
      const sent = await sendDueReminders(ctx.shards, deps);
      if (sent) ctx.log.info({ sent }, 'task reminders sent');
    });
    await ctx.jobs.work(schedulerQueues.digests, {}, async () => {
      ctx.log.info(await runDigests(ctx.shards, deps, ctx.region), 'saved-view digests');
    });
    await ctx.jobs.work(schedulerQueues.retention, {}, async () => {
      // A schedule outlives the process that made it: a process with retention switched off leaves it undone.
      if (!config.retentionCron) return;
      const results = await runRetention({ region: ctx.region, shards: ctx.shards, log: ctx.log, storage }, new Date());
      ctx.log.info({ organizations: results.length }, 'retention applied');
    });
    await ctx.jobs.work(schedulerQueues.searchWords, {}, async () => {
      const changed = await tidyRegionSearchWords(ctx);
      ctx.log.info({ organizations: changed.length }, 'search words tidied');
    });
    await ctx.jobs.schedule(schedulerQueues.reminders, config.remindersCron);
    await ctx.jobs.schedule(schedulerQueues.searchWords, config.searchWordsCron);
    await ctx.jobs.schedule(schedulerQueues.digests, config.digestsCron);
    if (config.retentionCron) await ctx.jobs.schedule(schedulerQueues.retention, config.retentionCron);
    const handle = schedulerHandler(ctx.shards, ctx.jobs, config.reminderLeadMinutes);
    return ctx.bus.subscribeBatches(`scheduler-${ctx.region}`, { types: schedulerEventTypes }, async (events) => {
      await handle(ofRegion(events, ctx.region));
    });
  },
};
