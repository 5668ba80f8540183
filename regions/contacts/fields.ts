import type { z } from '@hono/zod-openapi';
import type { CustomFieldValues } from '../../db/schema/crm.ts';
import type { contacts } from '../../db/schema/index.ts';
import type { ContactInput, ContactPatch } from '../../openapi/schemas/contacts.ts';
import { applyConsent, type ConsentState, noConsent } from './consent.ts';

type Contact = typeof contacts.$inferSelect;

/**
 * A new contact's stored fields and its consent change: the input with its defaults, the email lower-cased so
 * lookups by email match, consent stamped by the server's clock. Shared by the single create and the batch.
 */
export function newContactFields(
  input: z.infer<typeof ContactInput>,
  ownerId: string | null,
  customFields: CustomFieldValues,
  now: Date,
) {
  const consent = applyConsent(noConsent, input, now);
  const fields = {
    firstName: input.firstName ?? '',
    lastName: input.lastName ?? '',
    email: input.email?.toLowerCase() ?? null,
    phone: input.phone ?? null,
    title: input.title ?? null,
    lifecycleStage: input.lifecycleStage ?? 'lead',
    companyId: input.companyId ?? null,
    ownerId,
    tags: input.tags ?? [],
    customFields,
    ...(consent.state satisfies ConsentState),
  };
  return { fields, consentChange: consent.change };
}

/**
 * What a patch asks of a contact, to diff against it (custom fields apart: they are checked against the
 * definitions by the caller), and the consent change it makes. Shared by the single PATCH and the batch upsert.
 */
export function requestedContact(current: Contact, patch: z.infer<typeof ContactPatch>, now: Date) {
  const { marketingEmailConsent, consentSource, customFields: _custom, ...fields } = patch;
  const consent = applyConsent(current, { marketingEmailConsent, consentSource }, now);
  const requested = {
    ...fields,
    ...(fields.email ? { email: fields.email.toLowerCase() } : {}),
    ...(consent.change ? consent.state : {}),
  };
  return { requested, consentChange: consent.change };
}
