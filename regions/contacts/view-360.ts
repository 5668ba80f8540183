import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, auditLog, companies, deals, leads, users } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import { activitySummaries, activitySummaryView, dealSummaries, dealSummaryView } from '../companies/summaries.ts';
import { companyView } from '../companies/view.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { visibleTo } from '../support/owner.ts';
import { leadView } from '../support/views.ts';
import { findVisibleContact } from './access.ts';
import { contactView } from './view.ts';

const openDealLimit = 100;
const activityLimit = 20;
const auditEntryLimit = 100;

/**
 * Everything about a contact in one call and one transaction: the contact, its company, its open deals, its
 * latest activities, the lead it came from with that lead's audit trail, and its owner. Each part shows only
 * what the caller may see: a sales rep opens only contacts they own and sees only their own deals and activities.
 */
export async function getContact360(ctx: RegionContext, { principal }: Actor, id: string) {
  for (const permission of ['contacts:read', 'companies:read', 'deals:read', 'activities:read', 'leads:read'] as const)
    assertCan(principal, permission);
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const contact = await findVisibleContact(tx, principal, id);
    const [company] = contact.companyId
      ? await tx
          .select()
          .from(companies)
          .where(and(eq(companies.organizationId, organizationId), eq(companies.id, contact.companyId)))
      : [];
    const openDeals = await dealSummaries(tx, principal, {
      where: and(eq(deals.contactId, id), eq(deals.status, 'open'))!,
      limit: openDealLimit,
    });
    const recentActivities = await activitySummaries(tx, principal, {
      where: eq(activities.contactId, id),
      limit: activityLimit,
    });
    const [owner] = contact.ownerId
      ? await tx
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(and(eq(users.organizationId, organizationId), eq(users.id, contact.ownerId)))
      : [];
    return {
      contact: contactView(contact),
      company: company ? companyView(company) : null,
      openDeals: openDeals.map(dealSummaryView),
      recentActivities: recentActivities.map(activitySummaryView),
      leadHistory: await leadHistory(tx, principal, contact.leadId),
      owner: owner ?? null,
    };
  });
}

/**
 * The lead a contact was converted from and its audit entries (without the IP and user agent, which only the
 * audit log's readers may see). A sales rep sees a lead only if they own it, as everywhere else.
 */
async function leadHistory(tx: Tx, principal: Principal, leadId: string | null) {
  if (!leadId) return { lead: null, auditEntries: [] };
  const { organizationId } = principal;
  const [lead] = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.organizationId, organizationId), eq(leads.id, leadId)));
  // A deleted lead leaves its audit trail behind; with no owner left to check, only those who see every lead get it.
  const visible = lead ? visibleTo(principal, lead.ownerId) : ownRecordsOnly(principal) === null;
  if (!visible) return { lead: null, auditEntries: [] };
  const latest = await tx
    .select({
      id: auditLog.id,
      action: auditLog.action,
      actorType: auditLog.actorType,
      actorId: auditLog.actorId,
      changes: auditLog.changes,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(
      and(eq(auditLog.organizationId, organizationId), eq(auditLog.targetType, 'lead'), eq(auditLog.targetId, leadId)),
    )
    .orderBy(desc(auditLog.id))
    .limit(auditEntryLimit);
  const auditEntries = latest.reverse().map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() }));
  return { lead: lead ? leadView(lead) : null, auditEntries };
}
