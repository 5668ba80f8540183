import { z } from '@hono/zod-openapi';
import { leadStatuses } from '../../db/schema/lead-statuses.ts';
import { Timestamp } from './common.ts';
import { filters } from './companies.ts';
import { CustomFieldValuesInput, CustomFieldValuesSchema } from './custom-fields.ts';
import { storable, storableText, unstorableMessage } from './text.ts';

const text = storableText;
const Phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[0-9 ()./-]{3,40}$/, 'Digits, spaces and + ( ) . / - only')
  .openapi({ example: '+44 20 7946 0958' });

/** Countries as lead assignment rules match them (openapi/schemas/assignment-rules.ts). */
export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'An ISO 3166-1 alpha-2 country code in capitals, such as DE')
  .openapi({ example: 'DE', description: 'ISO 3166-1 alpha-2 country code' });

export const LeadStatusSchema = z.enum(leadStatuses).openapi('LeadStatus');

const leadFields = {
  firstName: text(100).openapi({ example: 'Ada' }),
  lastName: text(100).openapi({ example: 'Lovelace' }),
  email: z.email().max(254).nullable().openapi({ example: 'ada@analytical.example' }),
  phone: Phone.nullable(),
  company: text(200).nullable().openapi({ example: 'Analytical Engines' }),
  title: text(200).nullable().openapi({ example: 'Head of Research' }),
  source: text(100).nullable().openapi({ example: 'web_form' }),
  country: CountryCode.nullable(),
  region: text(100).nullable().openapi({ example: 'Bavaria', description: 'State, province or region' }),
  industry: text(100).nullable().openapi({ example: 'Manufacturing' }),
  status: LeadStatusSchema,
  ownerId: z.uuid().nullable(),
};

const hasIdentity = (v: { firstName?: string; lastName?: string; email?: string | null; phone?: string | null }) =>
  Boolean(v.firstName || v.lastName || v.email || v.phone);

export const LeadInput = z
  .strictObject({
    ...leadFields,
    firstName: leadFields.firstName.optional(),
    lastName: leadFields.lastName.optional(),
    email: leadFields.email.optional(),
    phone: leadFields.phone.optional(),
    company: leadFields.company.optional(),
    title: leadFields.title.optional(),
    source: leadFields.source.optional(),
    country: leadFields.country.optional(),
    region: leadFields.region.optional(),
    industry: leadFields.industry.optional(),
    status: leadFields.status.optional(),
    ownerId: leadFields.ownerId.optional(),
    customFields: CustomFieldValuesInput.optional(),
  })
  .refine(hasIdentity, { message: 'Give at least a name, an email or a phone number', path: ['firstName'] })
  .openapi('LeadInput');

export const LeadPatch = z
  .strictObject({
    firstName: leadFields.firstName.optional(),
    lastName: leadFields.lastName.optional(),
    email: leadFields.email.optional(),
    phone: leadFields.phone.optional(),
    company: leadFields.company.optional(),
    title: leadFields.title.optional(),
    source: leadFields.source.optional(),
    country: leadFields.country.optional(),
    region: leadFields.region.optional(),
    industry: leadFields.industry.optional(),
    status: leadFields.status.optional(),
    ownerId: leadFields.ownerId.optional(),
    customFields: CustomFieldValuesInput.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('LeadPatch');

export const ScoreReasonSchema = z
  .object({ points: z.number().int(), reason: z.string() })
  .openapi('ScoreReason', { example: { points: 20, reason: 'Work email address' } });

export const LeadSchema = z
  .object({
    id: z.uuid(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    title: z.string().nullable(),
    source: z.string().nullable(),
    country: z.string().nullable().openapi({ example: 'DE', description: 'ISO 3166-1 alpha-2 country code' }),
    region: z.string().nullable().openapi({ example: 'Bavaria', description: 'State, province or region' }),
    industry: z.string().nullable().openapi({ example: 'Manufacturing' }),
    status: LeadStatusSchema,
    ownerId: z.uuid().nullable(),
    score: z.number().int().min(0).max(100),
    scoreReasons: z.array(ScoreReasonSchema),
    convertedAt: Timestamp.nullable().openapi({ description: 'When the lead was converted; null until then' }),
    convertedContactId: z.uuid().nullable().openapi({ description: 'The contact the lead was converted to' }),
    convertedCompanyId: z.uuid().nullable().openapi({ description: 'The company its contact was linked to' }),
    convertedDealId: z.uuid().nullable().openapi({ description: 'The deal opened when it was converted' }),
    customFields: CustomFieldValuesSchema,
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Lead');

export const LeadList = z
  .object({
    data: z.array(LeadSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('LeadList');

export const leadSortKeys = ['createdAt', 'name', 'company', 'score', 'status'] as const;
export type LeadSortKey = (typeof leadSortKeys)[number];
export type LeadSort = LeadSortKey | `-${LeadSortKey}`;
export const leadSorts = leadSortKeys.flatMap((key): LeadSort[] => [key, `-${key}`]);
export const LeadSortSchema = z.enum(leadSorts as [LeadSort, ...LeadSort[]]).openapi('LeadSort');

export const LeadListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query', description: 'Page size, 1–200' }, example: 50 }),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .openapi({
      param: {
        name: 'cursor',
        in: 'query',
        description: 'Opaque cursor: `nextCursor` from the previous page',
        example: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWY0LTNjNGQtN2U1Zi04YTZiLTdjOGQ5ZTBmMWEyYiJ9',
      },
    }),
  status: LeadStatusSchema.optional().openapi({
    param: { name: 'status', in: 'query', description: 'Only leads in this status', example: 'qualified' },
  }),
  ownerId: z
    .uuid()
    .optional()
    .openapi({
      param: {
        name: 'ownerId',
        in: 'query',
        description: 'Only leads owned by this user',
        example: '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a',
      },
    }),
  source: z
    .string()
    .max(100)
    .refine(storable, unstorableMessage)
    .optional()
    .openapi({
      param: { name: 'source', in: 'query', description: 'Only leads from this source', example: 'referral' },
    }),
  scoreMin: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .openapi({
      param: { name: 'scoreMin', in: 'query', description: 'Only leads scoring at least this' },
      example: 50,
    }),
  scoreMax: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .openapi({
      param: { name: 'scoreMax', in: 'query', description: 'Only leads scoring at most this' },
      example: 100,
    }),
  tag: filters.tag('leads'),
  q: filters.q(
    'Only leads whose first name, last name, full name, email or company starts with this (case-insensitive)',
    'ada',
  ),
  sort: LeadSortSchema.optional().openapi({
    param: {
      name: 'sort',
      in: 'query',
      description:
        'Order of the list: a column, ascending, or with a leading `-` descending; ties are broken by id. The cursor of one order cannot be used with another. Default `-createdAt`.',
    },
    example: '-score',
  }),
});

/** The list's filters alone: what a bulk selection or an export takes (they have no page and their own order). */
export const leadListOnly = { limit: true, cursor: true, sort: true } as const;

export const LeadCountQuery = LeadListQuery.omit(leadListOnly);

export const LeadCount = z
  .object({ count: z.number().int().min(0).openapi({ description: 'Leads matching the filters' }) })
  .openapi('LeadCount');
