import { and, eq } from 'drizzle-orm';
import { bulkJobs } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { bulkJobView, findBulkJob, finished } from './view.ts';

/** A bulk job and its progress; its results once finished. */
export async function getBulkJob(ctx: RegionContext, { principal }: Actor, id: string) {
  return ctx.shards.withTenant(principal.organizationId, async (tx) =>
    bulkJobView(await findBulkJob(tx, principal, id)),
  );
}

/**
 * Cancels a bulk job. Each chunk's transaction locks the job's row and applies nothing once it is cancelled, so
 * the cancel lands between chunks: those committed stay (with their results), no later one starts.
 */
export async function cancelBulkJob(ctx: RegionContext, { principal }: Actor, id: string) {
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findBulkJob(tx, principal, id, true);
    if (finished(current.status)) throw conflict('bulk_job_finished', `The bulk job is already ${current.status}`);
    const now = new Date();
    const [row] = await tx
      .update(bulkJobs)
      .set({ status: 'cancelled', cancelRequested: true, finishedAt: now, updatedAt: now })
      .where(and(eq(bulkJobs.organizationId, organizationId), eq(bulkJobs.id, id)))
      .returning();
    return bulkJobView(row!);
  });
}
