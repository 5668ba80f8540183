import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { badRequest } from '../../openapi/errors.ts';
import { visibleTo } from '../support/owner.ts';

/**
 * The contact and company a deal links to must be records of the organization the caller may see: contacts are
 * owned (a sales rep sees their own), companies shared. Anything else is "unknown", never linked, and the answer
 * is the same whether it exists elsewhere or not at all.
 */
export async function checkLinks(
  tx: Tx,
  principal: Principal,
  links: { contactId?: string | null; companyId?: string | null },
) {
  const { organizationId } = principal;
  if (links.contactId) {
    const [contact] = await tx
      .select({ ownerId: contacts.ownerId })
      .from(contacts)
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, links.contactId)));
    if (!contact || !visibleTo(principal, contact.ownerId)) {
      throw badRequest('unknown_contact', 'contactId is not a contact of this organization', [
        { path: 'contactId', message: 'Not a contact of this organization' },
      ]);
    }
  }
  if (links.companyId) {
    const [company] = await tx
      .select({ id: companies.id })
      .from(companies)
      .where(and(eq(companies.organizationId, organizationId), eq(companies.id, links.companyId)));
    if (!company) {
      throw badRequest('unknown_company', 'companyId is not a company of this organization', [
        { path: 'companyId', message: 'Not a company of this organization' },
      ]);
    }
  }
}
