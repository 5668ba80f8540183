import type { z } from '@hono/zod-openapi';
import { contacts } from '../../db/schema/index.ts';
import { ContactInput } from '../../openapi/schemas/contacts.ts';
import { consentAuditEntry } from '../contacts/consent-audit.ts';
import { newContactFields, requestedContact } from '../contacts/fields.ts';
import { contactView } from '../contacts/view.ts';
import { diff } from '../support/record.ts';
import { chunkWriter } from './chunk.ts';
import type { BatchAdapter } from './run.ts';

type Input = z.infer<typeof ContactInput>;
type Contact = typeof contacts.$inferSelect;

/**
 * Contacts by the single create's and PATCH's rules: lifecycle stage defaulted, the company one of the
 * organization's, and every change of marketing consent audited on its own with its source.
 */
export const contactBatch: BatchAdapter<Input> = {
  resource: 'contacts',
  create: 'contacts:create',
  update: 'contacts:update',
  schema: ContactInput,
  matchOn: ['email', 'externalId'],
  keyOf: (item, matchOn) => (matchOn === 'email' ? (item.input.email?.toLowerCase() ?? undefined) : item.externalId),
  writeChunk: chunkWriter<Input, typeof contacts, ReturnType<typeof contactView>>(({ checks, now }) => ({
    entity: 'contact',
    table: contacts,
    view: contactView,
    // The companies are locked before the contacts, in the order a company deletion locks them (no deadlock).
    async prelock(items) {
      for (const companyId of new Set(items.map((item) => item.input.companyId)))
        await checks.company(companyId).catch(() => undefined);
    },
    async create({ input }) {
      const ownerId = await checks.newOwner(input.ownerId);
      await checks.company(input.companyId);
      const customFields = await checks.newCustomFields('contact', input.customFields);
      const { fields, consentChange } = newContactFields(input, ownerId, customFields, now);
      return {
        values: fields,
        audit: fields,
        after: (contact) => (consentChange ? [consentAuditEntry(contact.id, consentChange)] : []),
      };
    },
    async update({ input }, current: Contact) {
      await checks.company(input.companyId);
      if (input.ownerId !== undefined && input.ownerId !== current.ownerId) await checks.owner(input.ownerId);
      const { requested, consentChange } = requestedContact(current, input, now);
      const changes = diff(current as unknown as Record<string, unknown>, {
        ...requested,
        customFields: await checks.patchedCustomFields('contact', input.customFields, current.customFields),
      });
      return { changes, after: (contact) => (consentChange ? [consentAuditEntry(contact.id, consentChange)] : []) };
    },
  })),
};
