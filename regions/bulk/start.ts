import { newId } from '../../db/ids.ts';
import { bulkJobs } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { type BulkResource, bulkAdapters } from './adapters.ts';
import { BULK_QUEUE, type BulkJobMessage } from './job.ts';
import { BULK_SYNC_MAX, type BulkBody, resolveBulk, runChunks } from './run.ts';
import { bulkJobView } from './view.ts';

export type BulkRequestBody = BulkBody<unknown> & { mode?: 'auto' | 'async' | undefined };

/**
 * A bulk action: a selection of at most BULK_SYNC_MAX records (one chunk) is applied within the request, as it
 * always was (200 with the results); a larger one, or any with `mode: "async"`, becomes a bulk job made in the same
 * transaction that enqueues its `bulk.run` job, so the job exists exactly when the row does (202).
 */
export type BulkStarted =
  | { status: 200; body: Awaited<ReturnType<typeof runChunks>> }
  | { status: 202; job: ReturnType<typeof bulkJobView> };

export async function startBulk(
  ctx: RegionContext,
  actor: Actor,
  resource: BulkResource,
  body: BulkRequestBody,
): Promise<BulkStarted> {
  const { principal } = actor;
  const adapter = bulkAdapters[resource];
  assertCan(principal, adapter.permission(body.action));
  const { organizationId } = principal;
  const started = await ctx.shards.withTenant(organizationId, async (tx) => {
    const { value, ids } = await resolveBulk(tx, actor, adapter, body as BulkBody<never>);
    if (ids.length <= BULK_SYNC_MAX && body.mode !== 'async') return { job: null, value, ids };
    const [row] = await tx
      .insert(bulkJobs)
      .values({
        organizationId,
        id: newId(),
        resource,
        action: body.action,
        // The request's value, prepared again in each chunk's transaction (a stage's placement is read afresh);
        // wrapped, so an absent value (delete) stays absent and an explicit null (unassign) stays null.
        value: { value: body.value },
        ids,
        total: ids.length,
        actor: { ...actor } as Record<string, unknown>,
        createdBy: principal.type === 'user' ? principal.userId : null,
      })
      .returning();
    const message: BulkJobMessage = { organizationId, bulkJobId: row!.id };
    await ctx.jobs.send(tx, BULK_QUEUE, message);
    return { job: bulkJobView(row!), value, ids };
  });
  if (started.job) return { status: 202, job: started.job };
  const { value, ids } = started;
  return { status: 200, body: await runChunks(ctx, actor, adapter, body.action, value, ids) };
}
