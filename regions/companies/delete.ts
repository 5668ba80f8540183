import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, companies, contacts, deals } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import { recordChanges } from '../batch/record-many.ts';
import type { RegionContext } from '../context.ts';
import { removeStoredFiles } from '../privacy/attachments.ts';
import type { Actor } from '../support/actor.ts';
import { deleteAttachmentsOf, unlinkRows } from '../support/dependents.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { etagOf } from '../support/views.ts';
import { findCompany } from './access.ts';

type CompanyRow = typeof companies.$inferSelect;

/** Deletes one company (removeCompanies), honouring If-Match; its files go after the commit. */
export async function deleteCompany(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'companies:delete');
  const { organizationId } = principal;
  const storageKeys = await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findCompany(tx, organizationId, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'company');
    return removeCompanies(tx, actor, [current]);
  });
  await removeStoredFiles(ctx, storageKeys);
}

/**
 * Deletes companies the caller has locked (one for a DELETE, a chunk for a bulk delete) and, in the same
 * transaction, unlinks them from their contacts, deals and activities (companyId null), so nothing is left pointing
 * at a company that is gone, and deletes their attachment rows. Unlinked contacts and deals get a new version, so
 * an If-Match a client holds for one of them no longer matches the changed record. Each company gets its
 * `company.deleted` audit row and event; the stored files' keys are returned for removal after the commit.
 */
export async function removeCompanies(tx: Tx, actor: Actor, rows: CompanyRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const { organizationId } = actor.principal;
  const ids = rows.map((row) => row.id);
  const now = new Date();
  const contactIds = await unlinkRows(tx, contacts, 'companyId', organizationId, ids, now);
  const dealIds = await unlinkRows(tx, deals, 'companyId', organizationId, ids, now);
  const activityIds = await unlinkRows(tx, activities, 'companyId', organizationId, ids, now);
  const files = await deleteAttachmentsOf(tx, organizationId, 'company', ids);
  await tx.delete(companies).where(and(eq(companies.organizationId, organizationId), inArray(companies.id, ids)));
  await recordChanges(
    tx,
    actor,
    rows.map(({ id, name, domain }) => {
      const unlinked = {
        contactIds: contactIds.get(id) ?? [],
        dealIds: dealIds.get(id) ?? [],
        activityIds: activityIds.get(id) ?? [],
      };
      return {
        action: 'company.deleted',
        target: { type: 'company', id },
        changes: { name, domain, unlinked, attachmentsDeleted: files.countOf(id) },
        event: { type: 'company.deleted', payload: { companyId: id, unlinked } },
      };
    }),
  );
  return files.storageKeys;
}
