import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { visibleTo } from '../support/owner.ts';
import { countDuplicates, type DuplicateCandidate, type DuplicateSubject, findDuplicates } from './match.ts';

export type LeadLike = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
};

type LeadSubject = LeadLike & { convertedContactId?: string | null };

/**
 * A lead as the subject of duplicate detection. The contact it was converted to (and any contact made from it) is
 * its own next life, not a duplicate, so it is left out.
 */
async function subjectOfLead(tx: Tx, principal: Principal, lead: LeadSubject): Promise<DuplicateSubject> {
  const converted = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.organizationId, principal.organizationId), eq(contacts.leadId, lead.id)));
  const excludeContactIds = [
    ...new Set([...converted.map((c) => c.id), ...(lead.convertedContactId ? [lead.convertedContactId] : [])]),
  ];
  return { ...lead, excludeLeadIds: [lead.id], excludeContactIds };
}

/** A lead's likely duplicates, best first. */
export async function duplicatesOfLead(tx: Tx, principal: Principal, lead: LeadSubject) {
  return findDuplicates(tx, principal, await subjectOfLead(tx, principal, lead));
}

/**
 * How many likely duplicates a lead has (as its duplicates list counts them, at most MAX_DUPLICATES), for
 * `Possible-Duplicates` on create: counted, not ranked, so it stays quick however many there are.
 */
export async function countLeadDuplicates(tx: Tx, principal: Principal, lead: LeadLike): Promise<number> {
  return countDuplicates(tx, principal, await subjectOfLead(tx, principal, lead));
}

/** The same count for a lead inserted in this very transaction: nothing can have been converted from it yet. */
export function countNewLeadDuplicates(tx: Tx, principal: Principal, lead: LeadLike): Promise<number> {
  return countDuplicates(tx, principal, { ...lead, excludeLeadIds: [lead.id], excludeContactIds: [] });
}

export async function listLeadDuplicates(
  ctx: RegionContext,
  { principal }: Actor,
  id: string,
): Promise<{ data: DuplicateCandidate[] }> {
  assertCan(principal, 'leads:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [lead] = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, id)));
    if (!lead || !visibleTo(principal, lead.ownerId)) throw notFound('Lead');
    return { data: await duplicatesOfLead(tx, principal, lead) };
  });
}

/** A contact's likely duplicates, leaving out the lead it was converted from. */
export async function listContactDuplicates(
  ctx: RegionContext,
  { principal }: Actor,
  id: string,
): Promise<{ data: DuplicateCandidate[] }> {
  assertCan(principal, 'contacts:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .select({ contact: contacts, company: companies.name })
      .from(contacts)
      .leftJoin(
        companies,
        and(eq(companies.organizationId, contacts.organizationId), eq(companies.id, contacts.companyId)),
      )
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, id)));
    if (!row || !visibleTo(principal, row.contact.ownerId)) throw notFound('Contact');
    const { contact } = row;
    const sources = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.convertedContactId, contact.id)));
    const excludeLeadIds = [...new Set([...sources.map((l) => l.id), ...(contact.leadId ? [contact.leadId] : [])])];
    const data = await findDuplicates(tx, principal, {
      ...contact,
      company: row.company,
      excludeLeadIds,
      excludeContactIds: [contact.id],
    });
    return { data };
  });
}
