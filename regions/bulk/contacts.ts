import type { z } from '@hono/zod-openapi';
import { and, arrayContains, eq, ilike, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { contacts } from '../../db/schema/index.ts';
import type { ContactBulkFilter } from '../../openapi/schemas/bulk.ts';
import { type ContactListQuery, LifecycleStageSchema } from '../../openapi/schemas/contacts.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import type { Change } from '../batch/lead-change.ts';
import { recordChanges } from '../batch/record-many.ts';
import { startsWith } from '../companies/page.ts';
import { removeContacts } from '../contacts/delete.ts';
import { contactView } from '../contacts/view.ts';
import { checkOwner } from '../support/owner.ts';
import { diff } from '../support/record.ts';
import { lockVisibleRows } from './lock.ts';
import type { BulkAdapter, BulkResult } from './run.ts';
import { customFieldSelection, type ListFilterConditions, listConditions, matchingIds } from './select.ts';
import { bulkValue, retag } from './value.ts';

type Filter = z.infer<typeof ContactBulkFilter>;
type Contact = typeof contacts.$inferSelect;

/** The contact list's filters, as listContacts applies them. */
const contactFilters: ListFilterConditions<z.infer<typeof ContactListQuery>> = {
  ownerId: (id) => eq(contacts.ownerId, id),
  companyId: (id) => eq(contacts.companyId, id),
  lifecycleStage: (stage) => eq(contacts.lifecycleStage, stage),
  tag: (tag) => arrayContains(contacts.tags, [tag]),
  email: (email) => eq(contacts.email, email.toLowerCase()),
  q: (q) =>
    or(
      ilike(contacts.firstName, startsWith(q)),
      ilike(contacts.lastName, startsWith(q)),
      ilike(sql`${contacts.firstName} || ' ' || ${contacts.lastName}`, startsWith(q)),
      ilike(contacts.email, startsWith(q)),
    ),
};

export const contactBulk: BulkAdapter<Filter, unknown> = {
  permission: (action) => (action === 'delete' ? 'contacts:delete' : 'contacts:update'),
  async prepare(tx, { principal }, action, value) {
    const parsed = bulkValue(action, value, { set_lifecycle_stage: LifecycleStageSchema });
    if (action === 'assign') await checkOwner(tx, principal, parsed as string | null);
    return parsed;
  },
  async select(tx, { principal }, filter, limit) {
    const { organizationId } = principal;
    const own = ownRecordsOnly(principal);
    const conditions = [
      eq(contacts.organizationId, organizationId),
      ...(own ? [eq(contacts.ownerId, own)] : []),
      ...listConditions(contactFilters, filter),
      ...(await customFieldSelection(tx, organizationId, 'contact', contacts.customFields, filter)),
    ];
    return matchingIds(tx, contacts, conditions, limit);
  },
  async apply(tx, actor, action, value, ids) {
    const visible = await lockVisibleRows(tx, contacts, actor.principal, ids);
    if (action === 'delete') {
      const storageKeys = await removeContacts(tx, actor, [...visible.values()]);
      return { results: ids.map((id) => ({ id, status: visible.has(id) ? 'updated' : 'not_found' })), storageKeys };
    }
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
