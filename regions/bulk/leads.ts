import type { z } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, deals, leads } from '../../db/schema/index.ts';
import type { LeadBulkFilter } from '../../openapi/schemas/bulk.ts';
import { LeadStatusSchema } from '../../openapi/schemas/leads.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import { type Change, writeLeadChange } from '../batch/lead-change.ts';
import { recordChanges } from '../batch/record-many.ts';
import { leadConditions } from '../leads/filters.ts';
import { deleteAttachmentsOf, unlinkRows } from '../support/dependents.ts';
import { checkOwner } from '../support/owner.ts';
import { diff } from '../support/record.ts';
import { lockVisibleRows } from './lock.ts';
import type { BulkAdapter, BulkResult } from './run.ts';
import { customFieldSelection, matchingIds } from './select.ts';
import { bulkValue, retag } from './value.ts';

type Filter = z.infer<typeof LeadBulkFilter>;
type Lead = typeof leads.$inferSelect;

export const leadBulk: BulkAdapter<Filter, unknown> = {
  permission: (action) => (action === 'delete' ? 'leads:delete' : 'leads:update'),
  async prepare(tx, { principal }, action, value) {
    const parsed = bulkValue(action, value, { set_status: LeadStatusSchema });
    if (action === 'assign') await checkOwner(tx, principal, parsed as string | null);
    return parsed;
  },
  async select(tx, { principal }, filter, limit) {
    const { organizationId } = principal;
    const own = ownRecordsOnly(principal);
    const conditions = [
      eq(leads.organizationId, organizationId),
      ...(own ? [eq(leads.ownerId, own)] : []),
      // The list's own filter code, so a selection is exactly what the list shows.
      ...leadConditions(filter),
      ...(await customFieldSelection(tx, organizationId, 'lead', leads.customFields, filter)),
    ];
    return matchingIds(tx, leads, conditions, limit);
  },
  async apply(tx, actor, action, value, ids) {
    const { principal } = actor;
    const visible = await lockVisibleRows(tx, leads, principal, ids);
    const changes: Change[] = [];
    const storageKeys =
      action === 'delete' ? await deleteLeads(tx, principal.organizationId, [...visible.keys()], changes) : [];
    const results: BulkResult[] = [];
    for (const id of ids) {
      const current = visible.get(id);
      if (!current) results.push({ id, status: 'not_found' });
      else if (action === 'delete') results.push({ id, status: 'updated' });
      else results.push(await changeLead(tx, current, nextFields(current, action, value), changes));
    }
    await recordChanges(tx, actor, changes);
    return { results, storageKeys };
  },
};

function nextFields(current: Lead, action: string, value: unknown): Partial<Lead> {
  if (action === 'assign') return { ownerId: value as string | null };
  if (action === 'set_status') return { status: value as Lead['status'] };
  return { tags: retag(current.tags, action as 'add_tags' | 'remove_tags', value as string[]) };
}

/**
 * Deletes the leads as a single DELETE does, set-wise: their activities and deals are unlinked (leadId null, new
 * version) and their attachment rows deleted; the stored files' keys are returned for after the commit. A contact
 * converted from a lead keeps naming it.
 */
async function deleteLeads(tx: Tx, organizationId: string, ids: string[], changes: Change[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const now = new Date();
  const activityIds = await unlinkRows(tx, activities, 'leadId', organizationId, ids, now);
  const dealIds = await unlinkRows(tx, deals, 'leadId', organizationId, ids, now);
  const files = await deleteAttachmentsOf(tx, organizationId, 'lead', ids);
  await tx.delete(leads).where(and(eq(leads.organizationId, organizationId), inArray(leads.id, ids)));
  for (const id of ids) {
    const unlinked = { activityIds: activityIds.get(id) ?? [], dealIds: dealIds.get(id) ?? [] };
    const event = { type: 'lead.deleted', payload: { leadId: id, unlinked } };
    const audited = { unlinked, attachmentsDeleted: files.countOf(id) };
    changes.push({ action: 'lead.deleted', target: { type: 'lead', id }, changes: audited, event });
  }
  return files.storageKeys;
}

/** One lead's change as a single PATCH makes it; no difference is `unchanged`. */
async function changeLead(tx: Tx, current: Lead, next: Partial<Lead>, changes: Change[]): Promise<BulkResult> {
  const changed = diff(current as unknown as Record<string, unknown>, next);
  if (Object.keys(changed).length === 0) return { id: current.id, status: 'unchanged' };
  await writeLeadChange(tx, current, changed, changes);
  return { id: current.id, status: 'updated' };
}
