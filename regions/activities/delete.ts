import { and, eq } from 'drizzle-orm';
import { activities } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { lockVisibleActivity } from './access.ts';

export async function deleteActivity(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'activities:delete');
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockVisibleActivity(tx, principal, id);
    checkIfMatch(ifMatch, etagOf(current.version), 'activity');
    await tx.delete(activities).where(and(eq(activities.organizationId, organizationId), eq(activities.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'activity.deleted',
      target: { type: 'activity', id },
      changes: { type: current.type, subject: current.subject },
      event: { type: 'activity.deleted', payload: { activityId: id, type: current.type } },
    });
  });
}
