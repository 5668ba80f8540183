import { z } from '@hono/zod-openapi';
import { normaliseDomain } from '../../regions/companies/domain.ts';
import { CompanySchema, companyExample } from './companies.ts';
import { ContactSchema, contactExample } from './contacts.ts';
import { Amount, Currency, DealSchema, dealExample } from './deals.ts';
import { leadExample } from './examples.ts';
import { LeadSchema } from './leads.ts';
import { storableText } from './text.ts';

// PostgreSQL has no year 0: z.iso.date() alone would let "0000-01-01" through to a 500.
const CalendarDate = z.iso
  .date()
  .refine((value) => !value.startsWith('0000'), 'Years start at 0001')
  .openapi({ example: '2027-03-31' });

const Domain = z
  .string()
  .max(300)
  .refine((value) => normaliseDomain(value) !== null, 'A host name such as acme.example')
  .openapi({ example: 'navy.example' });

export const ConversionCompanyInput = z
  .strictObject({
    name: storableText(200)
      .min(1)
      .optional()
      .openapi({ description: "Name for a new company; default the lead's company", example: 'US Navy' }),
    domain: Domain.optional().openapi({
      description: "Find the company by this domain (or give it to a new one); default the lead's email domain",
    }),
  })
  .openapi('ConversionCompanyInput');

export const ConversionDealInput = z
  .strictObject({
    name: storableText(200).min(1).openapi({ example: 'US Navy — compiler licences' }),
    amount: Amount,
    currency: Currency,
    pipelineId: z.uuid().optional().openapi({ description: "Default: the organization's default pipeline" }),
    stageId: z.uuid().optional().openapi({ description: 'A stage of that pipeline; default its first open stage' }),
    expectedCloseDate: CalendarDate.nullable().optional(),
  })
  .openapi('ConversionDealInput');

export const ConvertLeadInput = z
  .strictObject({
    company: ConversionCompanyInput.nullable()
      .optional()
      .openapi({ description: 'How to find or create the company; null links none' }),
    deal: ConversionDealInput.nullable()
      .optional()
      .openapi({ description: 'A deal to open; omitted or null opens none' }),
    ownerId: z.uuid().nullable().optional().openapi({
      description: "Owner of the new records; default the lead's owner (a sales rep may name only themself)",
    }),
  })
  .openapi('ConvertLeadInput');

export const ConversionResult = z
  .object({
    lead: LeadSchema,
    contact: ContactSchema,
    company: CompanySchema.nullable().openapi({ description: 'Found by domain or created; null if none' }),
    deal: DealSchema.nullable().openapi({ description: 'The deal opened, if one was asked for' }),
  })
  .openapi('ConversionResult');

// Examples: the records of the other resources' examples, linked up as one conversion makes them.
const at = '2026-11-29T10:15:00.000Z';
const ids = {
  lead: leadExample.id,
  contact: '0193a5fb-adbe-7fc0-9b3c-5d6e7f8091a2',
  company: '0193a5fc-becf-7ad1-8c4d-6e7f8091a2b3',
  deal: '0193a5fd-cfd0-7be2-9d5e-7f8091a2b3c4',
  owner: '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a',
};

export const convertLeadInputExample: z.input<typeof ConvertLeadInput> = {
  company: { name: 'US Navy', domain: 'navy.example' },
  deal: {
    name: 'US Navy — compiler licences',
    amount: '48000.00',
    currency: 'EUR',
    pipelineId: dealExample.pipelineId,
    expectedCloseDate: '2027-03-31',
  },
  ownerId: ids.owner,
};

export const conversionResultExample: z.output<typeof ConversionResult> = {
  lead: {
    ...leadExample,
    status: 'converted',
    ownerId: ids.owner,
    convertedAt: at,
    convertedContactId: ids.contact,
    convertedCompanyId: ids.company,
    convertedDealId: ids.deal,
    version: 2,
    updatedAt: at,
  },
  contact: {
    ...contactExample,
    id: ids.contact,
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@navy.example',
    phone: '+1 202 555 0147',
    title: 'Director of Computing',
    lifecycleStage: 'opportunity',
    companyId: ids.company,
    ownerId: ids.owner,
    leadId: ids.lead,
    marketingEmailConsent: false,
    consentSource: null,
    consentGivenAt: null,
    tags: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  },
  company: {
    ...companyExample,
    id: ids.company,
    name: 'US Navy',
    domain: 'navy.example',
    industry: null,
    size: null,
    address: null,
    ownerId: ids.owner,
    tags: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  },
  deal: {
    ...dealExample,
    id: ids.deal,
    name: 'US Navy — compiler licences',
    amount: '48000.00',
    currency: 'EUR',
    expectedCloseDate: '2027-03-31',
    stageEnteredAt: at,
    status: 'open',
    closedAt: null,
    closeReason: null,
    ownerId: ids.owner,
    contactId: ids.contact,
    companyId: ids.company,
    tags: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  },
};
