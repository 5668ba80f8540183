import type { z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, deals, leads } from '../../db/schema/index.ts';
import type { LeadBulkFilter } from '../../openapi/schemas/bulk.ts';
import { LeadStatusSchema } from '../../openapi/schemas/leads.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import { type Change, writeLeadChange } from '../batch/lead-change.ts';
import { recordChanges } from '../batch/record-many.ts';
import { deleteAttachmentRows } from '../privacy/attachments.ts';
import { checkOwner } from '../support/owner.ts';
import { diff } from '../support/record.ts';
import { lockVisibleRows } from './lock.ts';
import type { BulkAdapter, BulkResult } from './run.ts';
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
    const conditions: SQL[] = [eq(leads.organizationId, principal.organizationId)];
    const own = ownRecordsOnly(principal);
    if (own) conditions.push(eq(leads.ownerId, own));
    if (filter.ownerId) conditions.push(eq(leads.ownerId, filter.ownerId));
    if (filter.status) conditions.push(eq(leads.status, filter.status));
    if (filter.source) conditions.push(eq(leads.source, filter.source));
    const rows = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(...conditions))
      .orderBy(desc(leads.id))
      .limit(limit);
    return rows.map((row) => row.id);
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
 * Deletes the leads as a single DELETE does, set-wise: their activities and deals are unlinked (leadId
 * null, new version) and their attachment rows deleted; the stored files' keys are returned for after the commit.
 */
async function deleteLeads(tx: Tx, organizationId: string, ids: string[], changes: Change[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const now = new Date();
  // RETURNING shows the new (null) leadId, so which lead each row belonged to is read before the update.
  const unlink = async <T extends typeof activities | typeof deals>(table: T) => {
    const where = and(eq(table.organizationId, organizationId), inArray(table.leadId, ids));
    const rows = (await tx
      .select({ id: table.id, leadId: table.leadId })
      .from(table as never)
      .where(where)
      .for('update')) as {
      id: string;
      leadId: string | null;
    }[];
    await tx
      .update(table)
      .set({ leadId: null, version: sql`${table.version} + 1`, updatedAt: now } as never)
      .where(where);
    return rows;
  };
  const linked = {
    activityIds: await unlink(activities),
    dealIds: await unlink(deals),
  };
  const keys = await deleteAttachmentRows(tx, organizationId, 'lead', ids);
  await tx.delete(leads).where(and(eq(leads.organizationId, organizationId), inArray(leads.id, ids)));
  for (const id of ids) {
    const unlinked = Object.fromEntries(
      Object.entries(linked).map(([kind, rows]) => [kind, rows.filter((r) => r.leadId === id).map((r) => r.id)]),
    );
    const event = { type: 'lead.deleted', payload: { leadId: id, unlinked } };
    changes.push({ action: 'lead.deleted', target: { type: 'lead', id }, changes: { unlinked }, event });
  }
  return keys;
}

/** One lead's change as a single PATCH makes it; no difference is `unchanged`. */
async function changeLead(tx: Tx, current: Lead, next: Partial<Lead>, changes: Change[]): Promise<BulkResult> {
  const changed = diff(current as unknown as Record<string, unknown>, next);
  if (Object.keys(changed).length === 0) return { id: current.id, status: 'unchanged' };
  await writeLeadChange(tx, current, changed, changes);
  return { id: current.id, status: 'updated' };
}
