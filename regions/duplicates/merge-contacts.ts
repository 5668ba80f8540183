import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { contacts } from '../../db/schema/index.ts';
import { type ContactMergeInput, contactMergeFields } from '../../openapi/schemas/duplicates.ts';
import { assertCan } from '../auth/permissions.ts';
import { contactView } from '../contacts/view.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { lockContactPair } from './lock.ts';
import { mergeFields, unionTags } from './merge-fields.ts';
import { moveContactRecords } from './move.ts';

type ContactRow = typeof contacts.$inferSelect;

/**
 * Merges the duplicate contact into the primary in one transaction: the primary takes the chosen values (consent
 * with its time and source) and both tag sets, every record pointing at the duplicate (activities, deals, leads
 * converted into it, attachments) is moved to the primary, and the duplicate is deleted. Both get an audit row;
 * `contact.merged` is the event.
 */
export async function mergeContacts(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof ContactMergeInput>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'contacts:update');
  assertCan(principal, 'contacts:delete');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const { primary, duplicate } = await lockContactPair(tx, principal, id, input.duplicateId);
    checkIfMatch(ifMatch, etagOf(primary.version), 'contact');
    const merged: Partial<ContactRow> = {
      ...mergeFields(primary, duplicate, contactMergeFields, input.fields ?? {}, {
        marketingEmailConsent: ['consentGivenAt', 'consentSource'],
      }),
      tags: unionTags(primary.tags, duplicate.tags),
    };
    const changes = diff(primary as unknown as Record<string, unknown>, merged);
    const moved = await moveContactRecords(tx, organizationId, duplicate.id, primary.id);
    await tx.delete(contacts).where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, duplicate.id)));
    const [row] = await tx
      .update(contacts)
      .set({ ...merged, version: primary.version + 1, updatedAt: new Date() })
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, primary.id)))
      .returning();
    const contact = contactView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'contact.merged',
      target: { type: 'contact', id: primary.id },
      changes: { ...changes, mergedFrom: duplicate.id, moved },
      event: { type: 'contact.merged', payload: { contact, duplicateId: duplicate.id, moved } },
    });
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'contact.merged',
      target: { type: 'contact', id: duplicate.id },
      changes: { mergedInto: primary.id, deleted: contactView(duplicate) },
      // The duplicate is gone: consumers (search, watches, roll-ups, automation) learn it as any deletion.
      event: { type: 'contact.deleted', payload: { contactId: duplicate.id, mergedInto: primary.id } },
    });
    return contact;
  });
}
