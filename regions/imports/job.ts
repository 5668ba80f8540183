/** The pg-boss queue the batch worker takes imports from (workers/batch). */
export const IMPORT_QUEUE = 'import.run';

/**
 * Attempts of one import job. A run that fails puts the import back in the queue and throws, so pg-boss tries
 * again (with backoff) from the last committed batch; the last attempt marks the import failed.
 */
export const IMPORT_RETRY_LIMIT = 5;

/** One import to run: which organization's, and which. */
export type ImportJob = { organizationId: string; importId: string };

/** Whether a run should stop between batches because its process is shutting down. */
export type StopSignal = { readonly stopping: boolean };
