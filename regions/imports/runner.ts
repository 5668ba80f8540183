/** One import to run: which organization's, and which. */
export type ImportJob = { organizationId: string; importId: string };

/**
 * Runs imports in the background. The region runs them in its own process today; the batch worker of a later
 * issue takes the same jobs from a queue instead, behind this interface. A run must be safe to start twice (the
 * second claim of the import fails and it does nothing) and to resume (it skips the rows already committed).
 */
export interface ImportRunner {
  /** Asks for the import to run; returns at once. */
  start(job: ImportJob): void;
  /** Resolves once every run started so far has ended (tests, shutdown). */
  drain(): Promise<void>;
  /** Takes no more work and asks running imports to stop after their current batch, then waits for them. */
  stop(): Promise<void>;
}

/** Whether a run should stop between batches because its process is shutting down. */
export type StopSignal = { readonly stopping: boolean };

export function createInProcessImportRunner(
  run: (job: ImportJob, signal: StopSignal) => Promise<void>,
  onError: (error: unknown, job: ImportJob) => void,
): ImportRunner {
  const running = new Set<Promise<void>>();
  const signal = { stopping: false };
  return {
    start(job) {
      if (signal.stopping) return;
      const done: Promise<void> = run(job, signal)
        .catch((error) => onError(error, job))
        .finally(() => running.delete(done));
      running.add(done);
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running]);
    },
    async stop() {
      signal.stopping = true;
      await this.drain();
    },
  };
}
