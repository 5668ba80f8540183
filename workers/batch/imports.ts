import type { Job } from 'pg-boss';
import { IMPORT_QUEUE, IMPORT_RETRY_LIMIT, type ImportJob, type StopSignal } from '../../regions/imports/job.ts';
import { type ImportDeps, type RunOutcome, runImport, uploadVisible } from '../../regions/imports/run.ts';

/**
 * How often a job whose upload this process cannot see is handed back (a second apart) before a process runs it
 * anyway, failing it: a file missing everywhere must not circle for ever.
 */
export const UNSEEN_HANDBACKS = 30;

/** Tracks the runs in hand, so the worker's stop can wait for them (each ends after its current batch). */
export type InFlight = { stopping: boolean; runs: Set<Promise<unknown>> };

/**
 * Runs one `import.run` job: the import from its last committed batch (regions/imports/run.ts). A retry of the job
 * (pg-boss hands one out when the previous attempt threw, or when its heartbeats stopped because its process died)
 * may take the import over from that attempt at once; the run token keeps a merely slow one from writing again.
 * The run stops between batches when this process stops or pg-boss no longer counts the job as ours, and puts the
 * import back in the queue with a new job. A job fetched while the process is already stopping goes straight back,
 * and so does one whose upload this process cannot read (see uploadVisible), a bounded number of times.
 */
export function importJobHandler(deps: ImportDeps, inFlight: InFlight) {
  return async (job: Job<ImportJob & { handedBack?: number }>): Promise<{ outcome: RunOutcome | 'returned' }> => {
    const target: ImportJob = { organizationId: job.data.organizationId, importId: job.data.importId };
    if (inFlight.stopping) {
      await deps.jobs.sendNow(IMPORT_QUEUE, { ...target, handedBack: job.data.handedBack ?? 0 });
      return { outcome: 'returned' };
    }
    const handedBack = job.data.handedBack ?? 0;
    if (handedBack < UNSEEN_HANDBACKS && !(await uploadVisible(deps, target))) {
      deps.log.warn({ ...target, handedBack }, 'import whose upload this process cannot read; handed back');
      await deps.jobs.sendNow(IMPORT_QUEUE, { ...target, handedBack: handedBack + 1 }, { startAfter: 1 });
      return { outcome: 'returned' };
    }
    const signal: StopSignal = {
      get stopping() {
        return inFlight.stopping || job.signal.aborted;
      },
    };
    const attempt = { takeOver: job.retryCount > 0, last: job.retryCount >= IMPORT_RETRY_LIMIT };
    const run = runImport(deps, target, signal, attempt);
    inFlight.runs.add(run);
    try {
      const outcome = await run;
      deps.log.info({ ...target, outcome, attempt: job.retryCount + 1 }, 'import job done');
      return { outcome };
    } catch (err) {
      deps.log.error({ err, ...target, attempt: job.retryCount + 1 }, 'import run failed');
      throw err;
    } finally {
      inFlight.runs.delete(run);
    }
  };
}
