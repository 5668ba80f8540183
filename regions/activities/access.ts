import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { notFound } from '../../openapi/errors.ts';
import { visibleTo } from '../support/owner.ts';

/** The activity, locked for change, if the principal may see it; otherwise 404 (never 403, which would confirm it). */
export async function lockVisibleActivity(tx: Tx, principal: Principal, id: string) {
  const [activity] = await tx
    .select()
    .from(activities)
    .where(and(eq(activities.organizationId, principal.organizationId), eq(activities.id, id)))
    .for('update');
  if (!activity || !visibleTo(principal, activity.ownerId)) throw notFound('Activity');
  return activity;
}
