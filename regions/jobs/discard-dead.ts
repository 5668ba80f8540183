import { notFound } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { assertKnownQueue, jobsAdminOrganization } from './access.ts';
import { withoutSecrets } from './view.ts';

/** Deletes a dead job for good (admins); the audit row keeps what it was, minus its secrets. */
export async function discardDeadJob(ctx: RegionContext, actor: Actor, queue: string, id: string): Promise<void> {
  const organizationId = jobsAdminOrganization(actor);
  assertKnownQueue(ctx, queue, 'queue');
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const gone = await ctx.jobs.discardDead(tx, organizationId, queue, id);
    if (!gone) throw notFound('Dead job');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'job.discarded',
      target: { type: 'job', id },
      changes: { queue, data: withoutSecrets(gone.data) },
    });
  });
}
