import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, deals, pipelineStages } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';

/**
 * Deals and activities belong to other services; the company lists and the contact 360° view read them here, in
 * their own short shape, with the same rule as everywhere: a sales rep sees only the ones they own.
 */
type Filter = { where: SQL; limit: number; before?: string };

export async function dealSummaries(tx: Tx, principal: Principal, { where, limit, before }: Filter) {
  const { organizationId } = principal;
  const own = ownRecordsOnly(principal);
  const rows = await tx
    .select({
      id: deals.id,
      name: deals.name,
      amount: deals.amount,
      currency: deals.currency,
      stageId: deals.stageId,
      stageName: pipelineStages.name,
      stageProbability: pipelineStages.probability,
      status: deals.status,
      expectedCloseDate: deals.expectedCloseDate,
    })
    .from(deals)
    .leftJoin(
      pipelineStages,
      and(eq(pipelineStages.organizationId, deals.organizationId), eq(pipelineStages.id, deals.stageId)),
    )
    .where(
      and(
        eq(deals.organizationId, organizationId),
        where,
        own ? eq(deals.ownerId, own) : undefined,
        before ? lt(deals.id, before) : undefined,
      ),
    )
    .orderBy(desc(deals.id))
    .limit(limit);
  return rows;
}

export const dealSummaryView = (row: Awaited<ReturnType<typeof dealSummaries>>[number]) => ({
  id: row.id,
  name: row.name,
  amount: row.amount,
  currency: row.currency,
  stage: { id: row.stageId, name: row.stageName ?? '', probability: row.stageProbability ?? 0 },
  status: row.status,
  expectedCloseDate: row.expectedCloseDate,
});

export async function activitySummaries(tx: Tx, principal: Principal, { where, limit, before }: Filter) {
  const { organizationId } = principal;
  const own = ownRecordsOnly(principal);
  return tx
    .select({
      id: activities.id,
      type: activities.type,
      subject: activities.subject,
      dueAt: activities.dueAt,
      done: activities.done,
      createdAt: activities.createdAt,
    })
    .from(activities)
    .where(
      and(
        eq(activities.organizationId, organizationId),
        where,
        own ? eq(activities.ownerId, own) : undefined,
        before ? lt(activities.id, before) : undefined,
      ),
    )
    .orderBy(desc(activities.id))
    .limit(limit);
}

export const activitySummaryView = (row: Awaited<ReturnType<typeof activitySummaries>>[number]) => ({
  id: row.id,
  type: row.type,
  subject: row.subject,
  dueAt: row.dueAt ? row.dueAt.toISOString() : null,
  done: row.done,
  createdAt: row.createdAt.toISOString(),
});
