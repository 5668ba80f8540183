import type { ShardSet } from '../../db/shard-set.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { applyEachOnce, byOrganization, ofRegion } from '../../regions/events/consumer.ts';
import { secretBoxFromEnv } from '../../regions/support/secret-keys.ts';
import { type ScheduleJob, WORKFLOW_SCHEDULE_QUEUE } from '../../regions/workflows/schedule.ts';
import type { Worker } from '../context.ts';
import { webhookConfig } from '../webhooks/config.ts';
import { executeRun } from './execute.ts';
import {
  type RunJob,
  runQueue,
  type ScheduleBatchJob,
  scheduleBatchQueue,
  scheduleQueue,
  WORKFLOW_RUN_QUEUE,
  WORKFLOW_SCHEDULE_BATCH_QUEUE,
} from './queue.ts';
import { fireSchedule, runScheduleBatch, scheduleBatchSize } from './schedule.ts';
import { automatedEventTypes, listeningWorkflows, type StartedRun, startRuns } from './trigger.ts';

/** The consumer name under which processed events are recorded (processed_events). */
export const automationConsumer = 'automation';

/**
 * Starts the runs events trigger, at most once however often the bus delivers them, each organization's events in
 * one transaction. Events no enabled workflow listens for are settled by a read, without the write of
 * applyEachOnce, since most events start nothing. Resolves the runs started (or skipped by loop protection).
 */
export function automationHandler(shards: ShardSet, jobs: JobSender) {
  return async (events: readonly BusEvent[]): Promise<StartedRun[]> => {
    const started: StartedRun[] = [];
    const apply = applyEachOnce(shards, automationConsumer, async (tx, fresh) => {
      for (const event of fresh) started.push(...(await startRuns(tx, jobs, event)));
    });
    for (const [organizationId, own] of byOrganization(events)) {
      const heard = await shards.withTenant(organizationId, async (tx) => {
        const listened = new Map<string, boolean>();
        for (const type of new Set(own.map((event) => event.type))) {
          listened.set(type, (await listeningWorkflows(tx, organizationId, type)).length > 0);
        }
        return own.filter((event) => listened.get(event.type));
      });
      if (heard.length > 0) await apply(heard);
    }
    return started;
  };
}

/**
 * Automation: the `automation-<region>` group starts workflow runs from record events, `workflow.schedule` jobs fire
 * schedule triggers into `workflow.schedule.batch` jobs (one per batch of records), and `workflow.run` jobs execute
 * runs step by step (execute.ts).
 */
export const automationWorker: Worker = {
  name: 'automation',
  queues: [runQueue, scheduleQueue, scheduleBatchQueue],
  consumerGroups: (region) => [`automation-${region}`],
  async start(ctx) {
    const webhook = webhookConfig(ctx.env);
    // Webhook steps' signing secrets are sealed at rest: the region's box, or one from the same settings.
    const secrets = ctx.secrets ?? (await secretBoxFromEnv(ctx.env));
    const deps = { shards: ctx.shards, jobs: ctx.jobs, region: ctx.region, webhook, secrets };
    await ctx.jobs.work<RunJob>(WORKFLOW_RUN_QUEUE, { concurrency: 2 }, (job) => executeRun(deps, job));
    const scheduling = { ...deps, scheduleBatchSize: scheduleBatchSize(ctx.env) };
    await ctx.jobs.work<ScheduleJob>(WORKFLOW_SCHEDULE_QUEUE, {}, async (job) => {
      const fired = await fireSchedule(scheduling, job);
      if (fired) ctx.log.debug({ workflow: job.data.workflowId, ...fired }, 'schedule fired');
    });
    await ctx.jobs.work<ScheduleBatchJob>(WORKFLOW_SCHEDULE_BATCH_QUEUE, {}, async (job) => {
      const started = await runScheduleBatch(deps, job);
      if (started?.length) ctx.log.debug({ workflow: job.data.workflowId, runs: started.length }, 'schedule batch');
    });
    const handle = automationHandler(ctx.shards, ctx.jobs);
    return ctx.bus.subscribeBatches(
      `automation-${ctx.region}`,
      { types: [...automatedEventTypes], batchSize: 200 },
      async (events) => {
        const started = await handle(ofRegion(events, ctx.region));
        if (started.length) ctx.log.debug({ events: events.length, started }, 'workflow runs started');
      },
    );
  },
};
