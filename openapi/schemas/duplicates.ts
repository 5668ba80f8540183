import { z } from '@hono/zod-openapi';

const otherLeadId = '0193a5fc-becf-7ad1-8c4d-6e7f8091a2b3';
const contactId = '0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e';
const repId = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';

export const DuplicateReasonSchema = z
  .object({
    code: z.enum(['same_email', 'same_phone', 'similar_name_and_company']),
    message: z.string(),
  })
  .openapi('DuplicateReason', {
    description:
      'same_email: equal after trimming and lower-casing; same_phone: equal digits (a leading + kept); similar_name_and_company: trigram similarity of at least 0.45 for both the full names and the company names',
  });

export const DuplicateCandidateSchema = z
  .object({
    type: z.enum(['lead', 'contact']).openapi({ description: 'Which kind of record the candidate is' }),
    id: z.uuid(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable().openapi({ description: "The lead's company, or the name of the contact's company" }),
    ownerId: z.uuid().nullable(),
    score: z.number().int().min(1).max(100).openapi({ description: 'How likely the same person, 1–100' }),
    reasons: z.array(DuplicateReasonSchema).min(1),
  })
  .openapi('DuplicateCandidate');

export const DuplicateList = z
  .object({ data: z.array(DuplicateCandidateSchema).max(20).openapi({ description: 'Best first, at most 20' }) })
  .openapi('DuplicateList');

export const MergeSide = z.enum(['primary', 'duplicate']).openapi('MergeSide');

const choices = <K extends string>(fields: readonly K[]) =>
  z.strictObject(
    Object.fromEntries(fields.map((f) => [f, MergeSide.optional()])) as Record<K, z.ZodOptional<typeof MergeSide>>,
  );

export const leadMergeFields = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'title',
  'source',
  'status',
  'ownerId',
] as const;

export const contactMergeFields = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'title',
  'lifecycleStage',
  'companyId',
  'ownerId',
  'leadId',
  'marketingEmailConsent',
] as const;

const fieldsDescription =
  "Which record's value to keep, per field. Unnamed fields keep the primary's value, unless it is empty and the duplicate's is not";

export const LeadMergeInput = z
  .strictObject({
    duplicateId: z.uuid().openapi({ description: 'The lead to merge into this one and delete', example: otherLeadId }),
    fields: choices(leadMergeFields).optional().openapi({ description: fieldsDescription }),
  })
  .openapi('LeadMergeInput');

export const ContactMergeInput = z
  .strictObject({
    duplicateId: z.uuid().openapi({ description: 'The contact to merge into this one and delete', example: contactId }),
    fields: choices(contactMergeFields)
      .optional()
      .openapi({ description: `${fieldsDescription}. marketingEmailConsent brings its time and source along` }),
  })
  .openapi('ContactMergeInput');

export const duplicateListExample: z.output<typeof DuplicateList> = {
  data: [
    {
      type: 'contact',
      id: contactId,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
      phone: '+1 202 555 0147',
      company: 'US Navy',
      ownerId: repId,
      score: 99,
      reasons: [
        { code: 'same_email', message: 'Same email address' },
        { code: 'same_phone', message: 'Same phone number' },
        { code: 'similar_name_and_company', message: 'Similar name (100%) and company (100%)' },
      ],
    },
    {
      type: 'lead',
      id: otherLeadId,
      firstName: 'G.',
      lastName: 'Hopper',
      email: null,
      phone: '+1 (202) 555-0147',
      company: 'Navy',
      ownerId: repId,
      score: 70,
      reasons: [{ code: 'same_phone', message: 'Same phone number' }],
    },
  ],
};

export const leadMergeInputExample: z.input<typeof LeadMergeInput> = {
  duplicateId: otherLeadId,
  fields: { phone: 'duplicate', title: 'primary' },
};

export const contactMergeInputExample: z.input<typeof ContactMergeInput> = {
  duplicateId: contactId,
  fields: { email: 'duplicate', marketingEmailConsent: 'duplicate' },
};
