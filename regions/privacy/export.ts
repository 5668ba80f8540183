import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { auditLog, contacts, deals, leads } from '../../db/schema/index.ts';
import { activityView } from '../activities/view.ts';
import { attachmentView } from '../attachments/view.ts';
import { auditEntryView } from '../audit/view.ts';
import { assertCan } from '../auth/permissions.ts';
import { contactView } from '../contacts/view.ts';
import type { RegionContext } from '../context.ts';
import { dealView } from '../deals/view.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { leadView } from '../support/views.ts';
import { visiblePerson } from './access.ts';
import { activitiesOf, attachmentsOf, type PersonType } from './people.ts';

/** Audit actions whose changes describe consent (given, withdrawn, its source). */
const mentionsConsent = (changes: unknown) =>
  changes !== null && typeof changes === 'object' && /consent/i.test(JSON.stringify(changes));

/**
 * Everything the organization holds about one person (GDPR access / portability), as one JSON document: the record
 * and its converted counterpart, activities (logged emails included), consent now and its history, linked deals,
 * attachment metadata and every audit entry about them. The export itself is audited.
 */
export async function exportPerson(ctx: RegionContext, actor: Actor, type: PersonType, id: string) {
  const { principal } = actor;
  assertCan(principal, 'data:export');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const ids = await visiblePerson(tx, principal, type, id);
    const personLeads = await rowsIn(tx, leads, organizationId, ids.leadIds);
    const personContacts = await rowsIn(tx, contacts, organizationId, ids.contactIds);
    const personActivities = await activitiesOf(tx, organizationId, ids);
    const activityIds = personActivities.map((a) => a.id);
    const files = await attachmentsOf(tx, organizationId, [...ids.leadIds, ...ids.contactIds, ...activityIds]);
    const dealLinks = [
      ids.leadIds.length ? inArray(deals.leadId, ids.leadIds) : undefined,
      ids.contactIds.length ? inArray(deals.contactId, ids.contactIds) : undefined,
    ].filter((c) => c !== undefined);
    const linkedDeals = await tx
      .select()
      .from(deals)
      .where(and(eq(deals.organizationId, organizationId), or(...dealLinks)))
      .orderBy(deals.id);
    const about = [...ids.leadIds, ...ids.contactIds, ...activityIds, ...files.map((f) => f.id)];
    const audit = await tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, organizationId), inArray(auditLog.targetId, about)))
      .orderBy(desc(auditLog.id));
    const personAudit = audit.filter((e) => e.targetId && [...ids.leadIds, ...ids.contactIds].includes(e.targetId));
    const exportedAt = new Date();
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'privacy.exported',
      target: { type, id },
      changes: { leadIds: ids.leadIds, contactIds: ids.contactIds },
    });
    return {
      type,
      id,
      exportedAt: exportedAt.toISOString(),
      leads: personLeads.map(leadView),
      contacts: personContacts.map(contactView),
      activities: personActivities.map(activityView),
      consents: {
        current: personContacts.map((c) => ({
          contactId: c.id,
          marketingEmailConsent: c.marketingEmailConsent,
          consentGivenAt: c.consentGivenAt?.toISOString() ?? null,
          consentSource: c.consentSource,
        })),
        history: personAudit.filter((e) => mentionsConsent(e.changes)).map(auditEntryView),
      },
      deals: linkedDeals.map(dealView),
      attachments: files.map(attachmentView),
      audit: audit.map(auditEntryView),
    };
  });
}

async function rowsIn<T extends typeof leads | typeof contacts>(
  tx: Tx,
  table: T,
  organizationId: string,
  ids: string[],
) {
  if (ids.length === 0) return [] as T['$inferSelect'][];
  return (await tx
    .select()
    .from(table as typeof leads)
    .where(and(eq(table.organizationId, organizationId), inArray(table.id, ids)))) as T['$inferSelect'][];
}
