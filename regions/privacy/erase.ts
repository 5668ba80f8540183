import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import {
  activities,
  attachments,
  auditLog,
  contacts,
  formSubmissions,
  idempotencyKeys,
  leads,
  outbox,
} from '../../db/schema/index.ts';
import { forgetSearchWords, wordsOfPeople } from '../search/words.ts';
import { activitiesOf, attachmentsOf, type PersonIds } from './people.ts';

export const ERASED_NAME = 'Erased';

export type ErasureSummary = {
  leadIds: string[];
  contactIds: string[];
  activityIds: string[];
  attachmentIds: string[];
  /** Files to remove after the commit (their rows are gone with the transaction). */
  storageKeys: string[];
};

/**
 * Removes or anonymises the person's personal data everywhere the shard holds it, inside the caller's transaction:
 * the records, their activities' texts and addresses, their attachments, the outbox and audit rows about them and
 * the stored responses of the requests that created them. The search column is generated from the record, so it
 * follows, and the words only they had leave the search's table of words. Rows stay (as tombstones) so counts, links and the audit trail's shape survive.
 */
export async function erasePersonData(
  tx: Tx,
  organizationId: string,
  ids: PersonIds,
  now: Date,
): Promise<ErasureSummary> {
  const { leadIds, contactIds } = ids;
  // The organization's table of search words may hold the person's name: what no record has once they are erased goes.
  const words = await wordsOfPeople(tx, organizationId, ids);
  if (leadIds.length) {
    await tx
      .update(leads)
      .set({
        firstName: ERASED_NAME,
        lastName: ERASED_NAME,
        email: null,
        phone: null,
        title: null,
        company: null,
        tags: [],
        customFields: {},
        scoreReasons: [],
        externalId: null,
        version: sql`${leads.version} + 1`,
        updatedAt: now,
      })
      .where(and(eq(leads.organizationId, organizationId), inArray(leads.id, leadIds)));
  }
  if (contactIds.length) {
    await tx
      .update(contacts)
      .set({
        firstName: ERASED_NAME,
        lastName: ERASED_NAME,
        email: null,
        phone: null,
        title: null,
        tags: [],
        customFields: {},
        consentSource: null,
        externalId: null,
        version: sql`${contacts.version} + 1`,
        updatedAt: now,
      })
      .where(and(eq(contacts.organizationId, organizationId), inArray(contacts.id, contactIds)));
  }
  await forgetSearchWords(tx, organizationId, words);
  const activityIds = (await activitiesOf(tx, organizationId, ids)).map((a) => a.id);
  if (activityIds.length) {
    // A note's subject defaults to its body's first line, so subjects go too: any of these texts may name the person.
    await tx
      .update(activities)
      .set({
        subject: ERASED_NAME,
        body: null,
        emailFrom: null,
        emailTo: null,
        attendees: null,
        outcome: null,
        tags: [],
        version: sql`${activities.version} + 1`,
        updatedAt: now,
      })
      .where(and(eq(activities.organizationId, organizationId), inArray(activities.id, activityIds)));
  }
  const files = await attachmentsOf(tx, organizationId, [...leadIds, ...contactIds, ...activityIds]);
  const attachmentIds = files.map((f) => f.id);
  if (attachmentIds.length) {
    await tx
      .delete(attachments)
      .where(and(eq(attachments.organizationId, organizationId), inArray(attachments.id, attachmentIds)));
  }
  const submissionIds = await eraseFormSubmissions(tx, organizationId, leadIds);
  await tombstoneTrail(tx, organizationId, [
    ...leadIds,
    ...contactIds,
    ...activityIds,
    ...attachmentIds,
    ...submissionIds,
  ]);
  return {
    leadIds,
    contactIds,
    activityIds,
    attachmentIds,
    storageKeys: files.map((f) => f.storageKey),
  };
}

/**
 * The lead-capture submissions that made the person's leads: the values sent and where from (page, address, browser)
 * go; whether consent was given, when and to which text stays, naming no one once the lead is erased.
 */
async function eraseFormSubmissions(tx: Tx, organizationId: string, leadIds: string[]): Promise<string[]> {
  if (leadIds.length === 0) return [];
  const rows = await tx
    .update(formSubmissions)
    .set({ values: {}, origin: null, pageUrl: null, ip: null, userAgent: null })
    .where(and(eq(formSubmissions.organizationId, organizationId), inArray(formSubmissions.leadId, leadIds)))
    .returning({ id: formSubmissions.id });
  return rows.map((row) => row.id);
}

/**
 * Strips the personal data out of the trail records leave behind: outbox payloads become tombstones, audit rows
 * keep only action, target and time, and stored create responses (idempotency replays) are emptied.
 */
export async function tombstoneTrail(tx: Tx, organizationId: string, about: string[]): Promise<void> {
  if (about.length === 0) return;
  // Published rows are rewritten too: the bus has delivered them, but the stored copy must not outlive the erasure.
  await tx
    .update(outbox)
    .set({ payload: sql`jsonb_build_object('erased', true, 'id', ${outbox.aggregateId})` })
    .where(and(eq(outbox.organizationId, organizationId), inArray(outbox.aggregateId, about)));
  await tx
    .update(auditLog)
    .set({ changes: null, ip: null, userAgent: null })
    .where(and(eq(auditLog.organizationId, organizationId), inArray(auditLog.targetId, about)));
  // A stored create response replays the record as it was; the key stays (so a retry is still recognised).
  await tx
    .update(idempotencyKeys)
    .set({ response: sql`jsonb_build_object('erased', true)` })
    .where(
      and(eq(idempotencyKeys.organizationId, organizationId), inArray(sql`${idempotencyKeys.response}->>'id'`, about)),
    );
}
