import { BULK_QUEUE, BULK_RETRY_LIMIT, type BulkJobMessage } from '../../regions/bulk/job.ts';
import { IMPORT_QUEUE, IMPORT_RETRY_LIMIT, type ImportJob } from '../../regions/imports/job.ts';
import { filesConfigFromEnv, openStorage } from '../../regions/storage/config.ts';
import type { Worker } from '../context.ts';
import { bulkJobHandler } from './bulk.ts';
import { type InFlight, importJobHandler } from './imports.ts';

/** Jobs run at once per shard by one process (`BATCH_CONCURRENCY`, default 1): each import is PostgreSQL-bound. */
function concurrencyOf(env: NodeJS.ProcessEnv): number {
  const n = Number(env.BATCH_CONCURRENCY ?? 1);
  if (!Number.isInteger(n) || n < 1) throw new Error('BATCH_CONCURRENCY must be a whole number, at least 1');
  return n;
}

/**
 * The batch processor: runs CSV imports from the `import.run` queue, which `POST /imports/{id}/start` fills in the
 * transaction that queues the import. A job's heartbeat (every 15 s) tells pg-boss its process lives; when they
 * stop (the process was killed) pg-boss hands the job out again within `heartbeatSeconds` plus its supervision
 * pass, and the retry resumes after the last committed batch. Failures retry with backoff, then go to
 * `import.run.dead`, the dead-letter list admins read. Stopping finishes each run's current batch and queues the
 * import again.
 */
export const batchWorker: Worker = {
  name: 'batch',
  queues: [
    {
      name: IMPORT_QUEUE,
      retryLimit: IMPORT_RETRY_LIMIT,
      retryDelay: 30,
      retryBackoff: true,
      retryDelayMax: 600,
      heartbeatSeconds: 30,
      // Heartbeats decide liveness; this only bounds one attempt (a million rows take well under an hour).
      expireInSeconds: 12 * 3600,
    },
    // Bulk actions above one chunk (regions/bulk/start.ts), resumed after their last committed chunk on retry.
    {
      name: BULK_QUEUE,
      retryLimit: BULK_RETRY_LIMIT,
      retryDelay: 30,
      retryBackoff: true,
      retryDelayMax: 600,
      heartbeatSeconds: 30,
      expireInSeconds: 3600,
    },
  ],
  async start(ctx) {
    const storage =
      ctx.storage ?? openStorage(filesConfigFromEnv(ctx.env, ctx.env.DATA_DIR ?? 'data', ctx.region).storage);
    const inFlight: InFlight = { stopping: false, runs: new Set() };
    const deps = { shards: ctx.shards, storage, log: ctx.log, jobs: ctx.jobs };
    await ctx.jobs.work<ImportJob>(
      IMPORT_QUEUE,
      { concurrency: concurrencyOf(ctx.env) },
      importJobHandler(deps, inFlight),
    );
    await ctx.jobs.work<BulkJobMessage>(
      BULK_QUEUE,
      { concurrency: concurrencyOf(ctx.env) },
      bulkJobHandler(deps, inFlight),
    );
    ctx.log.info({ storage: storage.kind }, 'batch worker started');
    return {
      // Before the runtime stops the queues: each run ends after its batch in hand and queues its import again.
      async stop() {
        inFlight.stopping = true;
        while (inFlight.runs.size > 0) await Promise.allSettled([...inFlight.runs]);
      },
    };
  },
};
