import type { Job } from 'pg-boss';
import { BULK_QUEUE, BULK_RETRY_LIMIT, type BulkJobMessage, type StopSignal } from '../../regions/bulk/job.ts';
import { type BulkRunOutcome, runBulkJob } from '../../regions/bulk/job-run.ts';
import type { ChunkDeps } from '../../regions/bulk/run.ts';
import type { JobQueues } from '../../regions/jobs/queue.ts';
import type { InFlight } from './imports.ts';

/**
 * Runs one `bulk.run` job: the bulk job from its last committed chunk (regions/bulk/job-run.ts). The run stops
 * between chunks when this process stops or pg-boss no longer counts the job as ours; a stopped run puts the job
 * back in the queue, and a job fetched while the process is already stopping goes straight back.
 */
export function bulkJobHandler(deps: ChunkDeps & { jobs: JobQueues }, inFlight: InFlight) {
  return async (job: Job<BulkJobMessage>): Promise<{ outcome: BulkRunOutcome | 'returned' }> => {
    const target: BulkJobMessage = { organizationId: job.data.organizationId, bulkJobId: job.data.bulkJobId };
    if (inFlight.stopping) {
      await deps.jobs.sendNow(BULK_QUEUE, target);
      return { outcome: 'returned' };
    }
    const signal: StopSignal = {
      get stopping() {
        return inFlight.stopping || job.signal.aborted;
      },
    };
    const run = runBulkJob(deps, target, signal, { last: job.retryCount >= BULK_RETRY_LIMIT });
    inFlight.runs.add(run);
    try {
      const outcome = await run;
      if (outcome === 'stopped') await deps.jobs.sendNow(BULK_QUEUE, target);
      return { outcome };
    } catch (err) {
      deps.log.error({ err, ...target, attempt: job.retryCount + 1 }, 'bulk run failed');
      throw err;
    } finally {
      inFlight.runs.delete(run);
    }
  };
}
