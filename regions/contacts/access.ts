import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { badRequest, notFound } from '../../openapi/errors.ts';
import { visibleTo } from '../support/owner.ts';

/** The contact, if the principal may see it (sales reps: their own), optionally locked for change; otherwise 404. */
export async function findVisibleContact(tx: Tx, principal: Principal, id: string, lock = false) {
  const query = tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.organizationId, principal.organizationId), eq(contacts.id, id)));
  const [contact] = lock ? await query.for('update') : await query;
  if (!contact || !visibleTo(principal, contact.ownerId)) throw notFound('Contact');
  return contact;
}

/**
 * A contact may only point at a company of its own organization. RLS already hides every other organization's
 * rows, so a foreign company id reads exactly like one that never existed: both are 400 unknown_company.
 * The company row is locked (shared) so a concurrent delete cannot remove it before this write commits.
 */
export async function checkCompany(tx: Tx, organizationId: string, companyId: string | null | undefined) {
  if (!companyId) return;
  const [company] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.organizationId, organizationId), eq(companies.id, companyId)))
    .for('share');
  if (!company) {
    throw badRequest('unknown_company', 'companyId is not a company of this organization', [
      { path: 'companyId', message: 'Not a company of this organization' },
    ]);
  }
}
