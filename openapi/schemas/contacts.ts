import { z } from '@hono/zod-openapi';
import { lifecycleStages } from '../../db/schema/crm-enums.ts';
import { Timestamp } from './common.ts';
import {
  ActivitySummarySchema,
  activitySummaryExample,
  CompanySchema,
  companyExample,
  cursorExample,
  DealSummarySchema,
  dealSummaryExample,
  exampleIds,
  filters,
  orNull,
  PageQuery,
  Tags,
} from './companies.ts';
import { CustomFieldValuesInput, CustomFieldValuesSchema } from './custom-fields.ts';
import { leadExample } from './examples.ts';
import { LeadSchema } from './leads.ts';
import { storableText } from './text.ts';

const text = storableText;
const Phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[0-9 ()./-]{3,40}$/, 'Digits, spaces and + ( ) . / - only')
  .openapi({ example: '+44 20 7946 0958' });

export const LifecycleStageSchema = z.enum(lifecycleStages).openapi('LifecycleStage');

const contactFields = {
  firstName: text(100).openapi({ example: 'Ada' }),
  lastName: text(100).openapi({ example: 'Lovelace' }),
  email: z.email().max(254).nullable().openapi({ example: 'ada@analytical.example' }),
  phone: Phone.nullable(),
  title: text(200).nullable().openapi({ example: 'Head of Research' }),
  lifecycleStage: LifecycleStageSchema,
  companyId: z.uuid().nullable().openapi({ description: 'A company of this organization, or null' }),
  ownerId: z.uuid().nullable(),
  tags: Tags,
  marketingEmailConsent: z.boolean().openapi({
    description:
      'Whether the person agreed to marketing email. Turning it true records `consentGivenAt` (server time) and needs `consentSource`; turning it false withdraws consent and clears both',
  }),
  consentSource: text(100).min(1).openapi({
    description:
      'How consent was given (`web_form`, `import`, `verbal`, …), or, with `false`, how it was withdrawn. Only with `marketingEmailConsent`',
    example: 'web_form',
  }),
};

type ConsentFields = { marketingEmailConsent?: boolean; consentSource?: string };

/** Consent is only ever given with a source, and a source only ever describes a consent change sent beside it. */
function checkConsent(value: ConsentFields, ctx: z.RefinementCtx) {
  if (value.marketingEmailConsent === true && !value.consentSource) {
    ctx.addIssue({
      code: 'custom',
      path: ['consentSource'],
      message: 'Say how consent was given (e.g. web_form, import, verbal)',
    });
  }
  if (value.consentSource !== undefined && value.marketingEmailConsent === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['consentSource'],
      message: 'Send consentSource together with marketingEmailConsent',
    });
  }
}

const hasIdentity = (v: { firstName?: string; lastName?: string; email?: string | null; phone?: string | null }) =>
  Boolean(v.firstName || v.lastName || v.email || v.phone);

const optionalFields = {
  firstName: contactFields.firstName.optional(),
  lastName: contactFields.lastName.optional(),
  email: contactFields.email.optional(),
  phone: contactFields.phone.optional(),
  title: contactFields.title.optional(),
  lifecycleStage: contactFields.lifecycleStage.optional(),
  companyId: contactFields.companyId.optional(),
  ownerId: contactFields.ownerId.optional(),
  tags: contactFields.tags.optional(),
  marketingEmailConsent: contactFields.marketingEmailConsent.optional(),
  consentSource: contactFields.consentSource.optional(),
  customFields: CustomFieldValuesInput.optional(),
};

export const ContactInput = z
  .strictObject(optionalFields)
  .refine(hasIdentity, { message: 'Give at least a name, an email or a phone number', path: ['firstName'] })
  .superRefine(checkConsent)
  .openapi('ContactInput');

export const ContactPatch = z
  .strictObject(optionalFields)
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .superRefine(checkConsent)
  .openapi('ContactPatch');

export const ContactSchema = z
  .object({
    id: z.uuid(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    lifecycleStage: LifecycleStageSchema,
    companyId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    leadId: z.uuid().nullable().openapi({ description: 'The lead this contact was converted from, if any' }),
    marketingEmailConsent: z.boolean(),
    consentSource: z.string().nullable(),
    consentGivenAt: Timestamp.nullable(),
    tags: z.array(z.string()),
    customFields: CustomFieldValuesSchema,
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Contact');

export const ContactList = z
  .object({
    data: z.array(ContactSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('ContactList');

export const ContactListQuery = PageQuery.extend({
  ownerId: filters.ownerId('contacts'),
  companyId: z
    .uuid()
    .optional()
    .openapi({
      param: { name: 'companyId', in: 'query', description: 'Only contacts of this company' },
      example: exampleIds.company,
    }),
  lifecycleStage: LifecycleStageSchema.optional().openapi({
    param: { name: 'lifecycleStage', in: 'query', description: 'Only contacts at this lifecycle stage' },
    example: 'customer',
  }),
  tag: filters.tag('contacts'),
  email: z
    .email()
    .max(254)
    .optional()
    .openapi({
      param: { name: 'email', in: 'query', description: 'Only contacts with this email address (case-insensitive)' },
      example: 'ada@analytical.example',
    }),
  q: filters.q(
    'Only contacts whose first name, last name, full name or email starts with this (case-insensitive)',
    'ada',
  ),
});

export const LeadAuditEntrySchema = z
  .object({
    id: z.uuid(),
    action: z.string().openapi({ example: 'lead.converted' }),
    actorType: z.enum(['user', 'api_key', 'system']),
    actorId: z.uuid().nullable(),
    changes: z.unknown().openapi({ description: 'What changed, as the audit log recorded it' }),
    createdAt: Timestamp,
  })
  .openapi('LeadAuditEntry');

export const Contact360Schema = z
  .object({
    contact: ContactSchema,
    company: orNull(CompanySchema),
    openDeals: z
      .array(DealSummarySchema)
      .openapi({ description: 'Open deals of the contact the caller may see, newest first (at most 100)' }),
    recentActivities: z
      .array(ActivitySummarySchema)
      .openapi({ description: 'The last 20 activities of the contact the caller may see, newest first' }),
    leadHistory: z.object({
      lead: orNull(LeadSchema).openapi({ description: 'The lead the contact was converted from, if any' }),
      auditEntries: z
        .array(LeadAuditEntrySchema)
        .openapi({ description: "That lead's audit entries, oldest first (the latest 100)" }),
    }),
    owner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable(),
  })
  .openapi('Contact360');

export const contactInputExample: z.input<typeof ContactInput> = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'Ada@Analytical.example',
  phone: '+44 20 7946 0958',
  title: 'Head of Research',
  lifecycleStage: 'opportunity',
  companyId: exampleIds.company,
  tags: ['Champion'],
  marketingEmailConsent: true,
  consentSource: 'web_form',
};

export const contactExample: z.output<typeof ContactSchema> = {
  id: exampleIds.contact,
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@analytical.example',
  phone: '+44 20 7946 0958',
  title: 'Head of Research',
  lifecycleStage: 'opportunity',
  companyId: exampleIds.company,
  ownerId: exampleIds.rep,
  leadId: exampleIds.lead,
  marketingEmailConsent: true,
  consentSource: 'web_form',
  consentGivenAt: '2026-11-27T11:45:00.000Z',
  tags: ['champion'],
  customFields: { preferred_language: 'en' },
  version: 1,
  createdAt: '2026-11-27T11:45:00.000Z',
  updatedAt: '2026-11-27T11:45:00.000Z',
};

export const contactPatchExample: z.input<typeof ContactPatch> = {
  lifecycleStage: 'customer',
  marketingEmailConsent: false,
  consentSource: 'unsubscribe_link',
};

export const updatedContactExample: z.output<typeof ContactSchema> = {
  ...contactExample,
  lifecycleStage: 'customer',
  marketingEmailConsent: false,
  consentSource: null,
  consentGivenAt: null,
  version: 2,
  updatedAt: '2026-11-28T09:00:00.000Z',
};

export const contactListExample: z.output<typeof ContactList> = { data: [contactExample], nextCursor: cursorExample };

export const contact360Example: z.output<typeof Contact360Schema> = {
  contact: contactExample,
  company: companyExample,
  openDeals: [dealSummaryExample],
  recentActivities: [activitySummaryExample],
  leadHistory: {
    lead: { ...leadExample, status: 'converted', ownerId: exampleIds.rep },
    auditEntries: [
      {
        id: exampleIds.audit,
        action: 'lead.created',
        actorType: 'user',
        actorId: exampleIds.rep,
        changes: { firstName: 'Grace', lastName: 'Hopper', status: 'new', score: 85 },
        createdAt: '2026-11-27T11:45:00.000Z',
      },
    ],
  },
  owner: { id: exampleIds.rep, name: 'Charles Babbage', email: 'charles@analytical.example' },
};
