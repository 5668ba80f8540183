import { and, eq, inArray, or } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, attachments, contacts, leads } from '../../db/schema/index.ts';

export type PersonType = 'lead' | 'contact';

/** One person as the CRM holds them: a lead, a contact, or the lead and the contact it was converted into. */
export type PersonIds = { leadIds: string[]; contactIds: string[] };

/**
 * The ids that hold the person: the record and its linked counterpart (contacts.leadId / leads.convertedContactId),
 * so a converted lead and its contact are exported and erased together. Null when the record does not exist.
 */
export async function personIds(tx: Tx, organizationId: string, type: PersonType, id: string) {
  const leadIds = new Set<string>();
  const contactIds = new Set<string>();
  if (type === 'lead') {
    const [lead] = await tx
      .select({ id: leads.id, convertedContactId: leads.convertedContactId })
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, id)));
    if (!lead) return null;
    leadIds.add(lead.id);
    if (lead.convertedContactId) contactIds.add(lead.convertedContactId);
    const linked = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.leadId, id)));
    for (const c of linked) contactIds.add(c.id);
  } else {
    const [contact] = await tx
      .select({ id: contacts.id, leadId: contacts.leadId })
      .from(contacts)
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, id)));
    if (!contact) return null;
    contactIds.add(contact.id);
    if (contact.leadId) leadIds.add(contact.leadId);
    const linked = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.convertedContactId, id)));
    for (const l of linked) leadIds.add(l.id);
  }
  return { leadIds: [...leadIds], contactIds: [...contactIds] };
}

/** The activities linked to any record of the person. */
export function activitiesOf(tx: Tx, organizationId: string, ids: PersonIds) {
  const links = [
    ids.leadIds.length ? inArray(activities.leadId, ids.leadIds) : undefined,
    ids.contactIds.length ? inArray(activities.contactId, ids.contactIds) : undefined,
  ].filter((c) => c !== undefined);
  return tx
    .select()
    .from(activities)
    .where(and(eq(activities.organizationId, organizationId), or(...links)))
    .orderBy(activities.id);
}

/** The attachments of the person's records and of their activities. */
export function attachmentsOf(tx: Tx, organizationId: string, recordIds: string[]) {
  if (recordIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(attachments)
    .where(and(eq(attachments.organizationId, organizationId), inArray(attachments.recordId, recordIds)))
    .orderBy(attachments.id);
}
