import { z } from '@hono/zod-openapi';
import { ActivitySchema, activityExample } from './activities.ts';
import { AttachmentSchema, attachmentExample } from './attachments.ts';
import { AuditEntrySchema, auditEntryExample } from './audit.ts';
import { Timestamp } from './common.ts';
import { ContactSchema, contactExample } from './contacts.ts';
import { DealSchema, dealExample } from './deals.ts';
import { leadExample } from './examples.ts';
import { LeadSchema } from './leads.ts';

export const PersonParams = z.object({
  type: z.enum(['lead', 'contact']).openapi({
    param: { name: 'type', in: 'path', description: 'Whether the id is a lead or a contact' },
    example: 'lead',
  }),
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path', description: 'The lead or contact id (a UUID)' },
    example: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  }),
});

const ConsentSchema = z
  .object({
    contactId: z.uuid(),
    marketingEmailConsent: z.boolean(),
    consentGivenAt: Timestamp.nullable(),
    consentSource: z.string().nullable(),
  })
  .openapi('PersonConsent');

export const PersonExportSchema = z
  .object({
    type: z.enum(['lead', 'contact']),
    id: z.uuid(),
    exportedAt: Timestamp,
    leads: z.array(LeadSchema).openapi({ description: 'The lead, or the lead the contact was converted from' }),
    contacts: z.array(ContactSchema).openapi({ description: 'The contact, or the contact the lead became' }),
    activities: z
      .array(ActivitySchema)
      .openapi({ description: 'Every activity linked to them, logged emails included' }),
    consents: z.object({
      current: z.array(ConsentSchema),
      history: z.array(AuditEntrySchema).openapi({ description: 'Audit entries that changed their consent' }),
    }),
    deals: z.array(DealSchema).openapi({ description: 'Deals linked to the lead or the contact' }),
    attachments: z
      .array(AttachmentSchema)
      .openapi({ description: 'Metadata of their files and their activities’ files' }),
    audit: z.array(AuditEntrySchema).openapi({ description: 'Every audit entry about them, newest first' }),
  })
  .openapi('PersonExport');

export const ErasureSchema = z
  .object({
    type: z.enum(['lead', 'contact']),
    id: z.uuid(),
    erasedAt: Timestamp,
    leadIds: z.array(z.uuid()).openapi({ description: 'The leads anonymised (the record and any linked lead)' }),
    contactIds: z.array(z.uuid()).openapi({ description: 'The contacts anonymised' }),
    activityIds: z.array(z.uuid()).openapi({ description: 'Activities whose texts and addresses were removed' }),
    attachmentIds: z.array(z.uuid()).openapi({ description: 'Attachments deleted, files included' }),
  })
  .openapi('Erasure');

export const RetentionSchema = z
  .object({
    retentionDays: z.number().int().openapi({
      description: 'Leads and contacts untouched this long are erased, and older activities deleted',
      example: 2557,
    }),
  })
  .openapi('Retention');

export const RetentionPatch = z
  .strictObject({ retentionDays: z.number().int().min(30).max(36_500).openapi({ example: 1825 }) })
  .openapi('RetentionPatch');

const at = '2026-11-25T15:06:50.000Z';

export const personExportExample: z.output<typeof PersonExportSchema> = {
  type: 'lead',
  id: leadExample.id,
  exportedAt: at,
  leads: [leadExample],
  contacts: [contactExample],
  activities: [activityExample],
  consents: {
    current: [
      {
        contactId: contactExample.id,
        marketingEmailConsent: true,
        consentGivenAt: at,
        consentSource: 'web form',
      },
    ],
    history: [],
  },
  deals: [dealExample],
  attachments: [attachmentExample],
  audit: [auditEntryExample],
};

export const erasureExample: z.output<typeof ErasureSchema> = {
  type: 'lead',
  id: leadExample.id,
  erasedAt: at,
  leadIds: [leadExample.id],
  contactIds: [contactExample.id],
  activityIds: [activityExample.id],
  attachmentIds: [attachmentExample.id],
};

export const retentionExample: z.output<typeof RetentionSchema> = { retentionDays: 2557 };
export const retentionPatchExample: z.input<typeof RetentionPatch> = { retentionDays: 1825 };
