import { and, eq, sql } from 'drizzle-orm';
import { activities, companies, contacts, deals } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { deleteAttachmentRows, removeStoredFiles } from '../privacy/attachments.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { findCompany } from './access.ts';

/**
 * Deletes a company and, in the same transaction, unlinks it from its contacts, deals and activities (companyId
 * null), so nothing is left pointing at a company that is gone. Unlinked contacts and deals get a new version, so
 * an If-Match a client holds for one of them no longer matches the changed record.
 */
export async function deleteCompany(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'companies:delete');
  const { organizationId } = principal;
  const storageKeys = await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findCompany(tx, organizationId, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'company');
    const now = new Date();
    const unlinkedContacts = await tx
      .update(contacts)
      .set({ companyId: null, version: sql`${contacts.version} + 1`, updatedAt: now })
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.companyId, id)))
      .returning({ id: contacts.id });
    const unlinkedDeals = await tx
      .update(deals)
      .set({ companyId: null, version: sql`${deals.version} + 1`, updatedAt: now })
      .where(and(eq(deals.organizationId, organizationId), eq(deals.companyId, id)))
      .returning({ id: deals.id });
    const unlinkedActivities = await tx
      .update(activities)
      .set({ companyId: null, version: sql`${activities.version} + 1`, updatedAt: now })
      .where(and(eq(activities.organizationId, organizationId), eq(activities.companyId, id)))
      .returning({ id: activities.id });
    const keys = await deleteAttachmentRows(tx, organizationId, 'company', [id]);
    await tx.delete(companies).where(and(eq(companies.organizationId, organizationId), eq(companies.id, id)));
    const unlinked = {
      contactIds: unlinkedContacts.map((r) => r.id),
      dealIds: unlinkedDeals.map((r) => r.id),
      activityIds: unlinkedActivities.map((r) => r.id),
    };
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'company.deleted',
      target: { type: 'company', id },
      changes: { name: current.name, domain: current.domain, unlinked, attachmentsDeleted: keys.length },
      event: { type: 'company.deleted', payload: { companyId: id, unlinked } },
    });
    return keys;
  });
  await removeStoredFiles(ctx, storageKeys);
}
