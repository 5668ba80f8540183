import type { QueueSpec } from '../../regions/jobs/queue.ts';
import { WORKFLOW_SCHEDULE_QUEUE } from '../../regions/workflows/schedule.ts';

/** One job per run step sequence: it runs the run's steps from `nextStep` until the end or a `wait`. */
export const WORKFLOW_RUN_QUEUE = 'workflow.run';

/** `chain`: the workflows that led to this run, this one last; carried into every write's event (loop protection). */
export type RunJob = { organizationId: string; runId: string; chain: string[] };

/**
 * A step that fails for a passing reason (a database hiccup, a webhook receiver answering 5xx) is retried with
 * exponential backoff, 10 s doubling up to 10 min, five times; then the job goes to `workflow.run.dead` and the
 * run is marked failed.
 */
export const runJobOptions = { retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 600 };

export const runQueue: QueueSpec = { name: WORKFLOW_RUN_QUEUE, ...runJobOptions };

/** Schedule firings (regions/workflows/schedule.ts); each job carries its own retry options. */
export const scheduleQueue: QueueSpec = {
  name: WORKFLOW_SCHEDULE_QUEUE,
  retryLimit: 5,
  retryDelay: 30,
  retryBackoff: true,
};

/** One batch of a schedule firing (schedule.ts): the records of the trigger's kind created before `before`. */
export const WORKFLOW_SCHEDULE_BATCH_QUEUE = 'workflow.schedule.batch';

/**
 * `firingRunId`: the firing's entry in the run log; `batch`: this batch's number (its step there); `before`: the
 * keyset, the last record the previous batch looked at (null: start at the newest); `started`: runs started so far.
 */
export type ScheduleBatchJob = {
  organizationId: string;
  workflowId: string;
  version: number;
  fireAt: string;
  firingRunId: string;
  batch: number;
  before: string | null;
  batchSize: number;
  started: number;
};

export const scheduleBatchOptions = { retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 600 };

export const scheduleBatchQueue: QueueSpec = { name: WORKFLOW_SCHEDULE_BATCH_QUEUE, ...scheduleBatchOptions };
