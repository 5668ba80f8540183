import type { z } from '@hono/zod-openapi';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { activities } from '../../db/schema/index.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { ActivityListQuery } from '../../openapi/schemas/activities.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { activityView } from './view.ts';

type Query = z.infer<typeof ActivityListQuery>;

/** The filters as SQL; `done` and the due window concern tasks only, since only tasks have them. */
function filters(query: Query): SQL[] {
  const conditions: SQL[] = [];
  for (const field of ['type', 'ownerId', 'leadId', 'contactId', 'companyId', 'dealId'] as const) {
    const value = query[field];
    if (value) conditions.push(eq(activities[field], value));
  }
  if (query.done || query.dueAfter || query.dueBefore) conditions.push(eq(activities.type, 'task'));
  if (query.done) conditions.push(eq(activities.done, query.done === 'true'));
  if (query.dueAfter) conditions.push(gte(activities.dueAt, new Date(query.dueAfter)));
  if (query.dueBefore) conditions.push(lt(activities.dueAt, new Date(query.dueBefore)));
  return conditions;
}

/** Newest first by UUIDv7 id, so rows inserted while a client pages land before its cursor. */
export async function listActivities(ctx: RegionContext, { principal }: Actor, query: Query) {
  assertCan(principal, 'activities:read');
  if (query.dueAfter && query.dueBefore && Date.parse(query.dueAfter) >= Date.parse(query.dueBefore)) {
    throw badRequest('validation_failed', 'The request query is invalid', [
      { path: 'dueBefore', message: 'Must be after dueAfter' },
    ]);
  }
  const { organizationId } = principal;
  const conditions: SQL[] = [eq(activities.organizationId, organizationId), ...filters(query)];
  const own = ownRecordsOnly(principal);
  if (own) conditions.push(eq(activities.ownerId, own));
  if (query.cursor) conditions.push(lt(activities.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(activities)
      .where(and(...conditions))
      .orderBy(desc(activities.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(activityView), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}
