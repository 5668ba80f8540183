import type { z } from '@hono/zod-openapi';
import { and, arrayContains, eq, gte, lte } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { deals, pipelineStages } from '../../db/schema/index.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { DealBulkFilter } from '../../openapi/schemas/bulk.ts';
import { Uuid } from '../../openapi/schemas/common.ts';
import type { DealListQuery } from '../../openapi/schemas/deals.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import type { Change } from '../batch/lead-change.ts';
import { recordChanges } from '../batch/record-many.ts';
import { removeDeals } from '../deals/delete.ts';
import { recordStageChange } from '../deals/history.ts';
import { resolvePlacement } from '../deals/placement.ts';
import { enterStage, type Transition } from '../deals/transitions.ts';
import { dealView } from '../deals/view.ts';
import type { Actor } from '../support/actor.ts';
import { checkOwner } from '../support/owner.ts';
import { diff } from '../support/record.ts';
import { lockVisibleRows } from './lock.ts';
import type { BulkAdapter, BulkResult } from './run.ts';
import { customFieldSelection, type ListFilterConditions, listConditions, matchingIds } from './select.ts';
import { bulkValue, retag } from './value.ts';

type Filter = z.infer<typeof DealBulkFilter>;
type Deal = typeof deals.$inferSelect;
type Placement = Awaited<ReturnType<typeof resolvePlacement>>;
type Value = { placement: Placement } | string | string[] | null;

/** The deal list's filters, as listDeals applies them. */
const dealFilters: ListFilterConditions<z.infer<typeof DealListQuery>> = {
  pipelineId: (id) => eq(deals.pipelineId, id),
  stageId: (id) => eq(deals.stageId, id),
  status: (status) => eq(deals.status, status),
  ownerId: (id) => eq(deals.ownerId, id),
  contactId: (id) => eq(deals.contactId, id),
  companyId: (id) => eq(deals.companyId, id),
  tag: (tag) => arrayContains(deals.tags, [tag]),
  expectedCloseAfter: (date) => gte(deals.expectedCloseDate, date),
  expectedCloseBefore: (date) => lte(deals.expectedCloseDate, date),
};

export const dealBulk: BulkAdapter<Filter, Value> = {
  permission: (action) => (action === 'delete' ? 'deals:delete' : 'deals:update'),
  async prepare(tx, { principal }, action, value) {
    const parsed = bulkValue(action, value, { set_stage: Uuid });
    if (action === 'assign') await checkOwner(tx, principal, parsed as string | null);
    if (action !== 'set_stage') return parsed as Value;
    return { placement: await placementOf(tx, principal.organizationId, parsed as string) };
  },
  async select(tx, { principal }, filter, limit) {
    const { organizationId } = principal;
    const own = ownRecordsOnly(principal);
    const conditions = [
      eq(deals.organizationId, organizationId),
      ...(own ? [eq(deals.ownerId, own)] : []),
      ...listConditions(dealFilters, filter),
      ...(await customFieldSelection(tx, organizationId, 'deal', deals.customFields, filter)),
    ];
    return matchingIds(tx, deals, conditions, limit);
  },
  async apply(tx, actor, action, value, ids) {
    const visible = await lockVisibleRows(tx, deals, actor.principal, ids);
    if (action === 'delete') {
      const storageKeys = await removeDeals(tx, actor, [...visible.values()]);
      return { results: ids.map((id) => ({ id, status: visible.has(id) ? 'updated' : 'not_found' })), storageKeys };
    }
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
