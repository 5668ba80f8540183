import { and, desc, eq, inArray } from 'drizzle-orm';
import { newId } from '../../../db/ids.ts';
import { contacts } from '../../../db/schema/index.ts';
import { applyConsent, noConsent } from '../../contacts/consent.ts';
import { diff } from '../../support/record.ts';
import { type BatchWriter, emptyOutcome, firstByKey, mergedCustomFields, present } from './types.ts';

/**
 * Contacts as createContact makes them (consent stamped with the server's clock, custom fields), unassigned;
 * matched by email. An update merges the row's custom fields into the contact's.
 */
export const writeContacts: BatchWriter<'contact'> = async (
  tx,
  { organizationId, createdBy, onDuplicate, rows, now },
) => {
  const outcome = emptyOutcome();
  const keys = [...new Set(rows.flatMap((r) => (r.key ? [r.key] : [])))];
  const existing = keys.length
    ? await tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.organizationId, organizationId), inArray(contacts.email, keys)))
        .orderBy(desc(contacts.id))
    : [];
  const byEmail = firstByKey(existing, (contact) => contact.email);
  const inserts: (typeof contacts.$inferInsert)[] = [];
  for (const { row, input, key, createFailure } of rows) {
    const { marketingEmailConsent, consentSource, customFields, ...fields } = input;
    const consentRequest = { marketingEmailConsent, consentSource };
    const match = key ? byEmail.get(key) : undefined;
    if (!match && createFailure) {
      outcome.failures.push({ row, reason: createFailure });
      continue;
    }
    if (!match) {
      inserts.push({
        organizationId,
        id: newId(),
        firstName: fields.firstName ?? '',
        lastName: fields.lastName ?? '',
        email: key,
        phone: fields.phone ?? null,
        title: fields.title ?? null,
        lifecycleStage: fields.lifecycleStage ?? 'lead',
        tags: fields.tags ?? [],
        customFields: customFields ?? {},
        ...applyConsent(noConsent, consentRequest, now).state,
        createdBy,
      });
      continue;
    }
    // Only the consent columns: an unchanged state is the matched row itself, whose other fields would undo the row's.
    const {
      marketingEmailConsent: given,
      consentSource: source,
      consentGivenAt,
    } = applyConsent(match, consentRequest, now).state;
    const consent = { marketingEmailConsent: given, consentSource: source, consentGivenAt };
    const changes = diff(match as unknown as Record<string, unknown>, {
      ...present({ ...fields, email: key, customFields: mergedCustomFields(match.customFields, customFields) }),
      ...consent,
    });
    if (onDuplicate === 'skip' || Object.keys(changes).length === 0) {
      outcome.skipped++;
      continue;
    }
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    await tx
      .update(contacts)
      .set({ ...next, version: match.version + 1, updatedAt: now })
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, match.id)));
    outcome.updatedIds.push(match.id);
  }
  if (inserts.length) {
    const made = await tx.insert(contacts).values(inserts).returning({ id: contacts.id });
    outcome.createdIds.push(...made.map((m) => m.id));
  }
  return outcome;
};
