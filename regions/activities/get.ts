import { and, eq } from 'drizzle-orm';
import { activities } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { visibleTo } from '../support/owner.ts';
import { activityView } from './view.ts';

export async function getActivity(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'activities:read');
  const { organizationId } = principal;
  const [row] = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(activities)
      .where(and(eq(activities.organizationId, organizationId), eq(activities.id, id))),
  );
  if (!row || !visibleTo(principal, row.ownerId)) throw notFound('Activity');
  return activityView(row);
}
