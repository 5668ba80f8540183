import type { z } from '@hono/zod-openapi';
import { and, arrayContains, desc, eq, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { contacts } from '../../db/schema/index.ts';
import type { ContactBulkFilter } from '../../openapi/schemas/bulk.ts';
import { LifecycleStageSchema } from '../../openapi/schemas/contacts.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import type { Change } from '../batch/lead-change.ts';
import { recordChanges } from '../batch/record-many.ts';
import { contactView } from '../contacts/view.ts';
import { checkOwner } from '../support/owner.ts';
import { diff } from '../support/record.ts';
import { lockVisibleRows } from './lock.ts';
import type { BulkAdapter, BulkResult } from './run.ts';
import { bulkValue, retag } from './value.ts';

type Filter = z.infer<typeof ContactBulkFilter>;
type Contact = typeof contacts.$inferSelect;

export const contactBulk: BulkAdapter<Filter, unknown> = {
  permission: () => 'contacts:update',
  async prepare(tx, { principal }, action, value) {
    const parsed = bulkValue(action, value, { set_lifecycle_stage: LifecycleStageSchema });
    if (action === 'assign') await checkOwner(tx, principal, parsed as string | null);
    return parsed;
  },
  async select(tx, { principal }, filter, limit) {
    const conditions: SQL[] = [eq(contacts.organizationId, principal.organizationId)];
    const own = ownRecordsOnly(principal);
    if (own) conditions.push(eq(contacts.ownerId, own));
    if (filter.ownerId) conditions.push(eq(contacts.ownerId, filter.ownerId));
    if (filter.companyId) conditions.push(eq(contacts.companyId, filter.companyId));
    if (filter.lifecycleStage) conditions.push(eq(contacts.lifecycleStage, filter.lifecycleStage));
    if (filter.tag) conditions.push(arrayContains(contacts.tags, [filter.tag]));
    const rows = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(...conditions))
      .orderBy(desc(contacts.id))
      .limit(limit);
    return rows.map((row) => row.id);
  },
  async apply(tx, actor, action, value, ids) {
    const { principal } = actor;
    const visible = await lockVisibleRows(tx, contacts, principal, ids);
    const changes: Change[] = [];
    const results: BulkResult[] = [];
    for (const id of ids) {
      const current = visible.get(id);
      results.push(current ? await changeContact(tx, current, action, value, changes) : { id, status: 'not_found' });
    }
    await recordChanges(tx, actor, changes);
    return { results };
  },
};

function nextFields(current: Contact, action: string, value: unknown): Partial<Contact> {
  if (action === 'assign') return { ownerId: value as string | null };
  if (action === 'set_lifecycle_stage') return { lifecycleStage: value as Contact['lifecycleStage'] };
  return { tags: retag(current.tags, action as 'add_tags' | 'remove_tags', value as string[]) };
}

/** One contact's change as a PATCH makes it: versioned, with its `contact.updated` audit row and event. */
async function changeContact(tx: Tx, current: Contact, action: string, value: unknown, changes: Change[]) {
  const changed = diff(current as unknown as Record<string, unknown>, nextFields(current, action, value));
  if (Object.keys(changed).length === 0) return { id: current.id, status: 'unchanged' } as const;
  const set = Object.fromEntries(Object.entries(changed).map(([field, [, after]]) => [field, after]));
  const [row] = await tx
    .update(contacts)
    .set({ ...set, version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(contacts.organizationId, current.organizationId), eq(contacts.id, current.id)))
    .returning();
  const contact = contactView(row!);
  const event = { type: 'contact.updated', payload: { contact, changes: changed } };
  changes.push({ action: 'contact.updated', target: { type: 'contact', id: contact.id }, changes: changed, event });
  return { id: contact.id, status: 'updated' } as const;
}
