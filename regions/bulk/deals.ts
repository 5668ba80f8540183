import type { z } from '@hono/zod-openapi';
import { and, arrayContains, desc, eq, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { deals, pipelineStages } from '../../db/schema/index.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { DealBulkFilter } from '../../openapi/schemas/bulk.ts';
import { Uuid } from '../../openapi/schemas/common.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import type { Change } from '../batch/lead-change.ts';
import { recordChanges } from '../batch/record-many.ts';
import { recordStageChange } from '../deals/history.ts';
import { resolvePlacement } from '../deals/placement.ts';
import { enterStage, type Transition } from '../deals/transitions.ts';
import { dealView } from '../deals/view.ts';
import type { Actor } from '../support/actor.ts';
import { checkOwner } from '../support/owner.ts';
import { diff } from '../support/record.ts';
import { lockVisibleRows } from './lock.ts';
import type { BulkAdapter, BulkResult } from './run.ts';
import { bulkValue, retag } from './value.ts';

type Filter = z.infer<typeof DealBulkFilter>;
type Deal = typeof deals.$inferSelect;
type Placement = Awaited<ReturnType<typeof resolvePlacement>>;
type Value = { placement: Placement } | string | string[] | null;

export const dealBulk: BulkAdapter<Filter, Value> = {
  permission: () => 'deals:update',
  async prepare(tx, { principal }, action, value) {
    const parsed = bulkValue(action, value, { set_stage: Uuid });
    if (action === 'assign') await checkOwner(tx, principal, parsed as string | null);
    if (action !== 'set_stage') return parsed as Value;
    return { placement: await placementOf(tx, principal.organizationId, parsed as string) };
  },
  async select(tx, { principal }, filter, limit) {
    const conditions: SQL[] = [eq(deals.organizationId, principal.organizationId)];
    const own = ownRecordsOnly(principal);
    if (own) conditions.push(eq(deals.ownerId, own));
    if (filter.pipelineId) conditions.push(eq(deals.pipelineId, filter.pipelineId));
    if (filter.stageId) conditions.push(eq(deals.stageId, filter.stageId));
    if (filter.status) conditions.push(eq(deals.status, filter.status));
    if (filter.ownerId) conditions.push(eq(deals.ownerId, filter.ownerId));
    if (filter.tag) conditions.push(arrayContains(deals.tags, [filter.tag]));
    const rows = await tx
      .select({ id: deals.id })
      .from(deals)
      .where(and(...conditions))
      .orderBy(desc(deals.id))
      .limit(limit);
    return rows.map((row) => row.id);
  },
  async apply(tx, actor, action, value, ids) {
    const { principal } = actor;
    const visible = await lockVisibleRows(tx, deals, principal, ids);
    const changes: Change[] = [];
    const results: BulkResult[] = [];
    for (const id of ids) {
      const current = visible.get(id);
      results.push(
        current ? await changeDeal(tx, actor, current, action, value, changes) : { id, status: 'not_found' },
      );
    }
    await recordChanges(tx, actor, changes);
    return { results };
  },
};

/** The stage named, with its pipeline, checked as a PATCH checks a stageId. */
async function placementOf(tx: Tx, organizationId: string, stageId: string) {
  const [stage] = await tx
    .select({ pipelineId: pipelineStages.pipelineId })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.organizationId, organizationId), eq(pipelineStages.id, stageId)));
  if (!stage) {
    throw badRequest('unknown_stage', 'value is not a stage of this organization', [
      { path: 'value', message: 'Not a stage of this organization' },
    ]);
  }
  return resolvePlacement(tx, organizationId, { pipelineId: stage.pipelineId, stageId });
}

/** One deal's change as a PATCH makes it: a stage move is written to the history with its events by deals' own code. */
async function changeDeal(
  tx: Tx,
  actor: Actor,
  current: Deal,
  action: string,
  value: Value,
  changes: Change[],
): Promise<BulkResult> {
  const now = new Date();
  let transition: Transition | null = null;
  let next: Partial<Deal>;
  if (value && typeof value === 'object' && 'placement' in value) {
    transition = enterStage(current, value.placement.stage, now);
    next = transition ? { pipelineId: value.placement.pipeline.id, ...transition.fields } : {};
  } else if (action === 'assign') next = { ownerId: value as string | null };
  else next = { tags: retag(current.tags, action as 'add_tags' | 'remove_tags', value as string[]) };
  const changed = diff(current as unknown as Record<string, unknown>, next);
  if (Object.keys(changed).length === 0) return { id: current.id, status: 'unchanged' };
  const set = Object.fromEntries(Object.entries(changed).map(([field, [, after]]) => [field, after]));
  const [row] = await tx
    .update(deals)
    .set({ ...set, version: current.version + 1, updatedAt: now })
    .where(and(eq(deals.organizationId, current.organizationId), eq(deals.id, current.id)))
    .returning();
  const deal = dealView(row!);
  const event = { type: 'deal.updated', payload: { deal, changes: changed } };
  const update = { action: 'deal.updated', target: { type: 'deal', id: deal.id }, changes: changed, event };
  if (!transition) changes.push(update);
  else {
    // A move's events follow its update in the outbox, as a PATCH writes them; so these are not deferred.
    await recordChanges(tx, actor, [update]);
    await recordStageChange(tx, actor, deal, transition, { pipelineId: current.pipelineId });
  }
  return { id: deal.id, status: 'updated' };
}
