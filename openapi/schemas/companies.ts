import { z } from '@hono/zod-openapi';
import { activityTypes, companySizes, dealStatuses } from '../../db/schema/crm-enums.ts';
import { normaliseDomain } from '../../regions/companies/domain.ts';
import { Timestamp } from './common.ts';
import { CustomFieldValuesInput, CustomFieldValuesSchema } from './custom-fields.ts';
import { storable, storableText, unstorableMessage } from './text.ts';

const text = storableText;

/**
 * A named schema or null. `.nullable()` on a named schema renders as `allOf` with a null type, which no value
 * satisfies, and can leak the null into the component itself; a union renders as `anyOf [$ref, null]`.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** Labels on a record: trimmed, lower-cased and de-duplicated here, so every layer stores and compares the same set. */
export const Tags = z
  .array(z.string().trim().toLowerCase().min(1).max(50).refine(storable, unstorableMessage))
  .max(50)
  .transform((tags) => [...new Set(tags)])
  .openapi({
    description: 'Up to 50 labels of 1–50 characters; trimmed, lower-cased and de-duplicated',
    example: ['enterprise', 'emea'],
  });

const notAHost =
  'Not a domain name: give a host such as acme.com (a URL is fine; its scheme, www. and path are dropped)';

/** A pasted domain or URL, reduced to its host by normaliseDomain; anything that is not a host is a 400 on `domain`. */
const Domain = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    const host = normaliseDomain(value);
    if (host === null) ctx.addIssue({ code: 'custom', message: notAHost });
    return host ?? z.NEVER;
  });

// ISO 3166-1 alpha-2, officially assigned codes.
const countryCodes = new Set(
  `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA
  CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB
  GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
  KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
  MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB
  SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US
  UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`.split(/\s+/),
);
export const isCountryCode = (code: string) => countryCodes.has(code);

const Country = z
  .string()
  .trim()
  .toUpperCase()
  .length(2)
  .refine(isCountryCode, 'Not an ISO 3166-1 alpha-2 country code')
  .openapi({ description: 'ISO 3166-1 alpha-2 country code (upper-cased)', example: 'GB' });

export const AddressInput = z
  .strictObject({
    street: text(200).optional().openapi({ example: '12 Babbage Row' }),
    city: text(100).optional().openapi({ example: 'London' }),
    region: text(100).optional().openapi({ example: 'Greater London' }),
    postalCode: text(20).optional().openapi({ example: 'EC1A 1BB' }),
    country: Country.optional(),
  })
  .openapi('AddressInput');

export const AddressSchema = z
  .object({
    street: z.string().optional(),
    city: z.string().optional(),
    region: z.string().optional(),
    postalCode: z.string().optional(),
    country: z.string().optional(),
  })
  .openapi('Address');

export const CompanySizeSchema = z.enum(companySizes).openapi('CompanySize');

const companyFields = {
  name: text(200).min(1).openapi({ example: 'Analytical Engines Ltd' }),
  domain: Domain.nullable().openapi({
    description: 'Stored as its bare host: lower-cased, without scheme, `www.`, path, port or trailing dot',
    example: 'analytical.example',
  }),
  industry: text(100).nullable().openapi({ example: 'Computing' }),
  size: orNull(CompanySizeSchema),
  address: orNull(AddressInput),
  ownerId: z.uuid().nullable(),
  tags: Tags,
};

export const CompanyInput = z
  .strictObject({
    name: companyFields.name,
    domain: companyFields.domain.optional(),
    industry: companyFields.industry.optional(),
    size: companyFields.size.optional(),
    address: companyFields.address.optional(),
    ownerId: companyFields.ownerId.optional(),
    tags: companyFields.tags.optional(),
    customFields: CustomFieldValuesInput.optional(),
  })
  .openapi('CompanyInput');

export const CompanyPatch = z
  .strictObject({
    name: companyFields.name.optional(),
    domain: companyFields.domain.optional(),
    industry: companyFields.industry.optional(),
    size: companyFields.size.optional(),
    address: companyFields.address.optional(),
    ownerId: companyFields.ownerId.optional(),
    tags: companyFields.tags.optional(),
    customFields: CustomFieldValuesInput.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('CompanyPatch');

export const CompanySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    size: orNull(CompanySizeSchema),
    address: orNull(AddressSchema),
    ownerId: z.uuid().nullable(),
    tags: z.array(z.string()),
    customFields: CustomFieldValuesSchema,
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Company');

const nextCursor = z
  .string()
  .nullable()
  .openapi({ description: 'Pass as `cursor` for the next page; null on the last' });

export const CompanyList = z.object({ data: z.array(CompanySchema), nextCursor }).openapi('CompanyList');

/** `limit` and `cursor`: keyset pages, newest first. */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query', description: 'Page size, 1–200' }, example: 50 }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query', description: 'Opaque cursor: `nextCursor` from the previous page' },
      example: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWY0LTNjNGQtN2U1Zi04YTZiLTdjOGQ5ZTBmMWEyYiJ9',
    }),
});

const queryParam = (name: string, description: string) => ({ param: { name, in: 'query' as const, description } });

export const filters = {
  ownerId: (what: string) =>
    z
      .uuid()
      .optional()
      .openapi({
        ...queryParam('ownerId', `Only ${what} owned by this user`),
        example: '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a',
      }),
  tag: (what: string) =>
    z
      .string()
      .trim()
      .toLowerCase()
      .min(1)
      .max(50)
      .refine(storable, unstorableMessage)
      .optional()
      .openapi({ ...queryParam('tag', `Only ${what} carrying this tag (case-insensitive)`), example: 'enterprise' }),
  q: (description: string, example: string) =>
    z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine(storable, unstorableMessage)
      .optional()
      .openapi({ ...queryParam('q', description), example }),
};

export const CompanyListQuery = PageQuery.extend({
  ownerId: filters.ownerId('companies'),
  industry: text(100)
    .optional()
    .openapi({ ...queryParam('industry', 'Only companies in this industry (case-insensitive)'), example: 'Computing' }),
  size: CompanySizeSchema.optional().openapi({
    ...queryParam('size', 'Only companies of this size band'),
    example: '51-200',
  }),
  tag: filters.tag('companies'),
  domain: Domain.optional().openapi({
    ...queryParam('domain', 'The company with this domain (normalised like the field: a URL works too)'),
    example: 'analytical.example',
  }),
  q: filters.q('Only companies whose name starts with this (case-insensitive)', 'analyt'),
});

/** What the deal and activity lists of a company and a contact's 360° view show of a deal. */
export const DealSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    amount: z.string().openapi({ description: 'Decimal amount as a string, exact to the cent', example: '12000.00' }),
    currency: z.string().openapi({ description: 'ISO 4217 code', example: 'EUR' }),
    stage: z.object({
      id: z.uuid(),
      name: z.string(),
      probability: z.number().int().min(0).max(100).openapi({ description: 'Win probability in percent' }),
    }),
    status: z.enum(dealStatuses),
    expectedCloseDate: z.iso.date().nullable(),
  })
  .openapi('DealSummary');

export const ActivitySummarySchema = z
  .object({
    id: z.uuid(),
    type: z.enum(activityTypes),
    subject: z.string(),
    dueAt: Timestamp.nullable(),
    done: z.boolean(),
    createdAt: Timestamp,
  })
  .openapi('ActivitySummary');

export const DealSummaryList = z.object({ data: z.array(DealSummarySchema), nextCursor }).openapi('DealSummaryList');
export const ActivitySummaryList = z
  .object({ data: z.array(ActivitySummarySchema), nextCursor })
  .openapi('ActivitySummaryList');

// Examples for the document, typed by the schemas they illustrate so a contract change cannot leave one stale.
export const exampleIds = {
  company: '0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f',
  contact: '0193a5f8-7b8c-7d9e-8f0a-2b3c4d5e6f7a',
  deal: '0193a5f9-8c9d-7e0f-9a1b-3c4d5e6f7a8b',
  activity: '0193a5fa-9d0e-7f1a-8b2c-4d5e6f7a8b9c',
  stage: '0193a5fb-0e1f-7a2b-9c3d-5e6f7a8b9c0d',
  audit: '0193a5fc-1f2a-7b3c-8d4e-6f7a8b9c0d1e',
  lead: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  rep: '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a',
};
export const cursorExample = 'eyJ2IjoxLCJpZCI6IjAxOTNhNWY3LTZhN2ItN2M4ZC05ZTBmLTFhMmIzYzRkNWU2ZiJ9';

export const companyInputExample: z.input<typeof CompanyInput> = {
  name: 'Analytical Engines Ltd',
  domain: 'https://www.analytical.example/about',
  industry: 'Computing',
  size: '51-200',
  address: { street: '12 Babbage Row', city: 'London', postalCode: 'EC1A 1BB', country: 'gb' },
  tags: ['Enterprise', 'emea'],
};

export const companyExample: z.output<typeof CompanySchema> = {
  id: exampleIds.company,
  name: 'Analytical Engines Ltd',
  domain: 'analytical.example',
  industry: 'Computing',
  size: '51-200',
  address: { street: '12 Babbage Row', city: 'London', postalCode: 'EC1A 1BB', country: 'GB' },
  ownerId: exampleIds.rep,
  tags: ['enterprise', 'emea'],
  customFields: { industry_tier: 'gold', seats: 120 },
  version: 1,
  createdAt: '2026-11-27T11:45:00.000Z',
  updatedAt: '2026-11-27T11:45:00.000Z',
};

export const companyPatchExample: z.input<typeof CompanyPatch> = {
  size: '201-1000',
  tags: ['enterprise', 'key-account'],
};

export const updatedCompanyExample: z.output<typeof CompanySchema> = {
  ...companyExample,
  size: '201-1000',
  tags: ['enterprise', 'key-account'],
  version: 2,
  updatedAt: '2026-11-28T09:00:00.000Z',
};

export const companyListExample: z.output<typeof CompanyList> = { data: [companyExample], nextCursor: cursorExample };

export const dealSummaryExample: z.output<typeof DealSummarySchema> = {
  id: exampleIds.deal,
  name: 'Difference Engine No. 2',
  amount: '12000.00',
  currency: 'EUR',
  stage: { id: exampleIds.stage, name: 'Proposal', probability: 50 },
  status: 'open',
  expectedCloseDate: '2027-01-31',
};

export const activitySummaryExample: z.output<typeof ActivitySummarySchema> = {
  id: exampleIds.activity,
  type: 'call',
  subject: 'Discovery call',
  dueAt: '2026-12-02T10:00:00.000Z',
  done: false,
  createdAt: '2026-11-28T09:30:00.000Z',
};

export const dealSummaryListExample: z.output<typeof DealSummaryList> = {
  data: [dealSummaryExample],
  nextCursor: null,
};
export const activitySummaryListExample: z.output<typeof ActivitySummaryList> = {
  data: [activitySummaryExample],
  nextCursor: null,
};
