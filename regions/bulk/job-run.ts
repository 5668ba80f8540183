import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { bulkJobs } from '../../db/schema/index.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { Actor } from '../support/actor.ts';
import { type BulkResource, bulkAdapters } from './adapters.ts';
import type { BulkJobMessage, StopSignal } from './job.ts';
import { BULK_CHUNK, type BulkAdapter, type ChunkDeps, removeFiles, tally } from './run.ts';
import { finished } from './view.ts';

/** How a run ended: the job finished one way or another, or this process stops and the job goes back to the queue. */
export type BulkRunOutcome = 'completed' | 'failed' | 'cancelled' | 'stopped' | 'gone';

type Step = { outcome?: BulkRunOutcome; storageKeys?: string[] | undefined };

/**
 * Runs a bulk job from its last committed chunk to the end, one chunk per transaction. Each transaction locks the
 * job's row, applies the chunk at its `done` offset with the route's own adapter, and moves `done`, the counters and
 * the results on in the same commit: a retry (or a second run of the same job) reads the offset under the lock, so
 * no chunk is ever applied twice, and a cancel committed in between stops the run before the next chunk. An
 * ApiError (the value no longer holds: an owner deactivated, a stage deleted) fails the job at once; any other error
 * is thrown for pg-boss to retry, and on the last attempt fails the job first.
 */
export async function runBulkJob(
  deps: ChunkDeps,
  target: BulkJobMessage,
  signal: StopSignal,
  attempt: { last: boolean },
  adapters: Record<BulkResource, BulkAdapter<never, unknown>> = bulkAdapters,
): Promise<BulkRunOutcome> {
  for (;;) {
    if (signal.stopping) return 'stopped';
    let step: Step;
    try {
      step = await deps.shards.withTenant(target.organizationId, (tx) => nextChunk(tx, target, adapters));
    } catch (error) {
      if (error instanceof ApiError) {
        await failJob(deps, target, { code: error.code, message: error.message });
        return 'failed';
      }
      if (attempt.last) {
        await failJob(deps, target, {
          code: 'internal_error',
          message: 'The bulk job failed after its retries; the chunks already committed stay',
        });
      }
      throw error;
    }
    await removeFiles(deps, step.storageKeys);
    if (step.outcome) return step.outcome;
  }
}

const byId = (target: BulkJobMessage) =>
  and(eq(bulkJobs.organizationId, target.organizationId), eq(bulkJobs.id, target.bulkJobId));

async function nextChunk(
  tx: Tx,
  target: BulkJobMessage,
  adapters: Record<BulkResource, BulkAdapter<never, unknown>>,
): Promise<Step> {
  const [job] = await tx.select().from(bulkJobs).where(byId(target)).for('update');
  if (!job) return { outcome: 'gone' };
  if (finished(job.status)) return { outcome: job.status as BulkRunOutcome };
  const now = new Date();
  const startedAt = job.startedAt ?? now;
  if (job.done >= job.total) {
    await tx
      .update(bulkJobs)
      .set({ status: 'completed', startedAt, finishedAt: now, updatedAt: now })
      .where(byId(target));
    return { outcome: 'completed' };
  }
  const actor = job.actor as unknown as Actor;
  const adapter = adapters[job.resource];
  const stored = (job.value ?? {}) as { value?: unknown };
  const value = await adapter.prepare(tx, actor, job.action, 'value' in stored ? stored.value : undefined);
  const chunk = job.ids.slice(job.done, job.done + BULK_CHUNK);
  const applied = await adapter.apply(tx, actor, job.action, value, chunk);
  const counts = tally(applied.results);
  const done = job.done + chunk.length;
  const complete = done >= job.total;
  await tx
    .update(bulkJobs)
    .set({
      status: complete ? 'completed' : 'running',
      done,
      updated: sql`${bulkJobs.updated} + ${counts.updated}`,
      unchanged: sql`${bulkJobs.unchanged} + ${counts.unchanged}`,
      failed: sql`${bulkJobs.failed} + ${counts.failed}`,
      notFound: sql`${bulkJobs.notFound} + ${counts.notFound}`,
      results: sql`${bulkJobs.results} || ${JSON.stringify(applied.results)}::jsonb`,
      startedAt,
      finishedAt: complete ? now : null,
      updatedAt: now,
    })
    .where(byId(target));
  return { storageKeys: applied.storageKeys, ...(complete ? { outcome: 'completed' as const } : {}) };
}

async function failJob(deps: ChunkDeps, target: BulkJobMessage, error: { code: string; message: string }) {
  const now = new Date();
  await deps.shards.withTenant(target.organizationId, async (tx) => {
    const [job] = await tx.select().from(bulkJobs).where(byId(target)).for('update');
    if (!job || finished(job.status)) return;
    await tx.update(bulkJobs).set({ status: 'failed', error, finishedAt: now, updatedAt: now }).where(byId(target));
  });
}
