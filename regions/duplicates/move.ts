import { and, eq, type SQLWrapper, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, attachments, contacts, deals, leads } from '../../db/schema/index.ts';

/** The ids of the records a merge moved from the duplicate to the primary, by kind. */
export type Moved = {
  activities: string[];
  deals: string[];
  contacts: string[];
  leads: string[];
  attachments: string[];
};

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

// A moved record has changed: its version goes up, so a client holding its old ETag re-reads before writing.
const touched = (table: { version: SQLWrapper }) => ({
  version: sql`${table.version} + 1`,
  updatedAt: new Date(),
});

/** Activities, deals, contacts converted from it and attachments of the duplicate lead now belong to the primary. */
export async function moveLeadRecords(tx: Tx, organizationId: string, from: string, to: string): Promise<Moved> {
  const movedActivities = await tx
    .update(activities)
    .set({ leadId: to, ...touched(activities) })
    .where(and(eq(activities.organizationId, organizationId), eq(activities.leadId, from)))
    .returning({ id: activities.id });
  const movedDeals = await tx
    .update(deals)
    .set({ leadId: to, ...touched(deals) })
    .where(and(eq(deals.organizationId, organizationId), eq(deals.leadId, from)))
    .returning({ id: deals.id });
  const movedContacts = await tx
    .update(contacts)
    .set({ leadId: to, ...touched(contacts) })
    .where(and(eq(contacts.organizationId, organizationId), eq(contacts.leadId, from)))
    .returning({ id: contacts.id });
  const movedAttachments = await moveAttachments(tx, organizationId, 'lead', from, to);
  return {
    activities: ids(movedActivities),
    deals: ids(movedDeals),
    contacts: ids(movedContacts),
    leads: [],
    attachments: movedAttachments,
  };
}

/** Activities, deals, leads converted into it and attachments of the duplicate contact now belong to the primary. */
export async function moveContactRecords(tx: Tx, organizationId: string, from: string, to: string): Promise<Moved> {
  const movedActivities = await tx
    .update(activities)
    .set({ contactId: to, ...touched(activities) })
    .where(and(eq(activities.organizationId, organizationId), eq(activities.contactId, from)))
    .returning({ id: activities.id });
  const movedDeals = await tx
    .update(deals)
    .set({ contactId: to, ...touched(deals) })
    .where(and(eq(deals.organizationId, organizationId), eq(deals.contactId, from)))
    .returning({ id: deals.id });
  const movedLeads = await tx
    .update(leads)
    .set({ convertedContactId: to, ...touched(leads) })
    .where(and(eq(leads.organizationId, organizationId), eq(leads.convertedContactId, from)))
    .returning({ id: leads.id });
  const movedAttachments = await moveAttachments(tx, organizationId, 'contact', from, to);
  return {
    activities: ids(movedActivities),
    deals: ids(movedDeals),
    contacts: [],
    leads: ids(movedLeads),
    attachments: movedAttachments,
  };
}

async function moveAttachments(
  tx: Tx,
  organizationId: string,
  recordType: 'lead' | 'contact',
  from: string,
  to: string,
) {
  const rows = await tx
    .update(attachments)
    .set({ recordId: to })
    .where(
      and(
        eq(attachments.organizationId, organizationId),
        eq(attachments.recordType, recordType),
        eq(attachments.recordId, from),
      ),
    )
    .returning({ id: attachments.id });
  return ids(rows);
}
