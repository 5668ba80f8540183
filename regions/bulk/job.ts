/** The pg-boss queue the batch worker takes bulk jobs from (workers/batch). */
export const BULK_QUEUE = 'bulk.run';

/**
 * Attempts of one bulk job. A run that fails throws, so pg-boss tries again (with backoff) after the last committed
 * chunk; the last attempt marks the job failed.
 */
export const BULK_RETRY_LIMIT = 5;

/** One bulk job to run: which organization's, and which. */
export type BulkJobMessage = { organizationId: string; bulkJobId: string };

/** Whether a run should stop between chunks because its process is shutting down. */
export type StopSignal = { readonly stopping: boolean };
