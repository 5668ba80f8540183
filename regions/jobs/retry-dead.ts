import { notFound } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { assertKnownQueue, jobsAdminOrganization } from './access.ts';
import { withoutSecrets } from './view.ts';

/**
 * Queues a dead job again on its original queue, as a new job with fresh retries, and deletes the dead copy: both,
 * and the audit row, in one transaction on the organization's shard, so the job is never lost nor run twice.
 */
export async function retryDeadJob(ctx: RegionContext, actor: Actor, queue: string, id: string) {
  const organizationId = jobsAdminOrganization(actor);
  assertKnownQueue(ctx, queue, 'queue');
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const retried = await ctx.jobs.retryDead(tx, organizationId, queue, id);
    if (!retried) throw notFound('Dead job');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'job.retried',
      target: { type: 'job', id: retried.newId },
      changes: { queue, deadJobId: id, data: withoutSecrets(retried.job.data) },
    });
    return { queue, id: retried.newId, retriedId: id };
  });
}
