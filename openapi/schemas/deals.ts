import { z } from '@hono/zod-openapi';
import { dealStatuses } from '../../db/schema/crm-enums.ts';
import { Timestamp } from './common.ts';
import { CustomFieldValuesInput, CustomFieldValuesSchema } from './custom-fields.ts';
import { storable, storableText, unstorableMessage } from './text.ts';

export const DealStatusSchema = z
  .enum(dealStatuses)
  .openapi('DealStatus', { description: "Follows the kind of the deal's stage: open, won or lost" });

/** numeric(18, 2): up to 16 digits before the point and 2 after; never negative, never a float's rounding. */
export const Amount = z
  .string()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, 'A decimal string, at least 0, with at most 2 decimals, like "12500.00"')
  .openapi({ description: 'A decimal string (never a JSON number, which would round)', example: '12500.00' });

// Intl knows the ISO 4217 list wherever the edge runs (Node, workerd, Deno); if a runtime lacks it the
// upper-case three-letter shape still holds.
const knownCurrencies: ReadonlySet<string> | null = (() => {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? new Set(supported('currency')) : null;
})();

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'An upper-case ISO 4217 code such as USD or EUR')
  .refine((code) => !knownCurrencies || knownCurrencies.has(code), 'Not an ISO 4217 currency code')
  .openapi({ description: 'ISO 4217, upper-case', example: 'EUR' });

const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'A tag cannot be empty')
  .max(50)
  .refine(storable, unstorableMessage)
  .openapi({ example: 'enterprise' });

/** Up to 50 short tags, trimmed, lower-cased and without repeats, so `?tag=` finds them however they were typed. */
export const Tags = z
  .array(Tag)
  .max(50)
  .overwrite((tags) => [...new Set(tags)])
  .openapi({ description: 'Trimmed, lower-cased, deduplicated; at most 50 of at most 50 characters' });

export const normaliseTag = (tag: string) => tag.trim().toLowerCase();

// PostgreSQL has no year 0 (1 BC is year 1 before Christ); refusing it here keeps it a 400, not a 500.
const IsoDate = z.iso
  .date()
  .refine((date) => !date.startsWith('0000'), 'There is no year 0000')
  .openapi({ example: '2026-12-31' });

const dealFields = {
  name: storableText(200).min(1).openapi({ example: 'Analytical Engines — 40 seats' }),
  amount: Amount,
  currency: Currency,
  expectedCloseDate: IsoDate.nullable(),
  pipelineId: z.uuid().openapi({ description: "Default: the organization's default pipeline" }),
  stageId: z.uuid().openapi({ description: 'A stage of the pipeline; default: its first open stage' }),
  ownerId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  companyId: z.uuid().nullable(),
  tags: Tags,
};

export const DealInput = z
  .strictObject({
    name: dealFields.name,
    amount: dealFields.amount.optional().openapi({ description: 'Default "0.00"' }),
    currency: dealFields.currency.optional().openapi({ description: 'Default USD' }),
    expectedCloseDate: dealFields.expectedCloseDate.optional(),
    pipelineId: dealFields.pipelineId.optional(),
    stageId: dealFields.stageId.optional(),
    ownerId: dealFields.ownerId.optional().openapi({ description: 'Default: a sales rep themself, else nobody' }),
    contactId: dealFields.contactId.optional(),
    companyId: dealFields.companyId.optional(),
    tags: dealFields.tags.optional(),
    customFields: CustomFieldValuesInput.optional(),
  })
  .openapi('DealInput');

export const DealPatch = z
  .strictObject({
    name: dealFields.name.optional(),
    amount: dealFields.amount.optional(),
    currency: dealFields.currency.optional(),
    expectedCloseDate: dealFields.expectedCloseDate.optional(),
    pipelineId: dealFields.pipelineId
      .optional()
      .openapi({ description: 'Move to another pipeline; without stageId the deal goes to its first open stage' }),
    stageId: dealFields.stageId.optional().openapi({ description: 'Move to this stage (of the deal’s pipeline)' }),
    ownerId: dealFields.ownerId.optional(),
    contactId: dealFields.contactId.optional(),
    companyId: dealFields.companyId.optional(),
    tags: dealFields.tags.optional(),
    customFields: CustomFieldValuesInput.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('DealPatch');

export const WonInput = z
  .strictObject({ reason: storableText(1000).min(1).optional().openapi({ example: 'Best total cost over 3 years' }) })
  .openapi('DealWonInput');

export const LostInput = z
  .strictObject({ reason: storableText(1000).min(1).openapi({ example: 'Chose a competitor on price' }) })
  .openapi('DealLostInput');

export const DealSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    amount: Amount,
    currency: z.string().openapi({ example: 'EUR' }),
    expectedCloseDate: IsoDate.nullable(),
    pipelineId: z.uuid(),
    stageId: z.uuid(),
    stageEnteredAt: Timestamp.openapi({ description: 'When the deal entered its current stage' }),
    status: DealStatusSchema,
    closedAt: Timestamp.nullable().openapi({ description: 'When it was won or lost; null while open' }),
    closeReason: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    contactId: z.uuid().nullable(),
    companyId: z.uuid().nullable(),
    tags: z.array(z.string()),
    customFields: CustomFieldValuesSchema,
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Deal');

const nextCursor = z
  .string()
  .nullable()
  .openapi({ description: 'Pass as `cursor` for the next page; null on the last' });

export const DealList = z.object({ data: z.array(DealSchema), nextCursor }).openapi('DealList');

export const StageChangeSchema = z
  .object({
    id: z.uuid(),
    dealId: z.uuid(),
    fromStageId: z.uuid().nullable().openapi({ description: 'null for the stage the deal was created in' }),
    fromStageName: z.string().nullable().openapi({ description: 'null if there was none or it was deleted since' }),
    toStageId: z.uuid(),
    toStageName: z.string().nullable().openapi({ description: 'null if the stage was deleted since' }),
    changedBy: z.uuid().nullable().openapi({ description: 'The user or API key that moved it' }),
    changedAt: Timestamp,
    secondsInPreviousStage: z
      .number()
      .int()
      .min(0)
      .nullable()
      .openapi({ description: 'How long the deal sat in the stage it left; null on creation', example: 86400 }),
  })
  .openapi('DealStageChange');

export const StageChangeList = z
  .object({ data: z.array(StageChangeSchema), nextCursor })
  .openapi('DealStageChangeList');

const query = <T extends z.ZodType>(schema: T, name: string, description: string, example: string | number) =>
  schema.optional().openapi({ param: { name, in: 'query', description }, example });

const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(50)
  .openapi({ param: { name: 'limit', in: 'query', description: 'Page size, 1–200' }, example: 50 });
const Cursor = query(
  z.string().max(200),
  'cursor',
  'Opaque cursor: `nextCursor` from the previous page',
  'eyJ2IjoxLCJpZCI6IjAxOTNhNWY4LTdhODEtN2IyYy05ZDNlLTRmNWE2YjdjOGQ5ZSJ9',
);

export const DealListQuery = z.object({
  limit: Limit,
  cursor: Cursor,
  pipelineId: query(z.uuid(), 'pipelineId', 'Only deals in this pipeline', '0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e'),
  stageId: query(z.uuid(), 'stageId', 'Only deals in this stage', '0193a5f7-6f72-7d8e-9f0a-3b4c5d6e7f8a'),
  status: query(DealStatusSchema, 'status', 'Only open, won or lost deals', 'open'),
  ownerId: query(z.uuid(), 'ownerId', 'Only deals owned by this user', '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a'),
  contactId: query(z.uuid(), 'contactId', 'Only deals with this contact', '0193a5f9-8b92-7c3d-8e4f-5a6b7c8d9e0f'),
  companyId: query(z.uuid(), 'companyId', 'Only deals with this company', '0193a5fa-9ca3-7d4e-9f50-6b7c8d9e0f1a'),
  tag: query(
    z.string().trim().toLowerCase().min(1).max(50).refine(storable, unstorableMessage),
    'tag',
    'Only deals with this tag (compared lower-cased)',
    'enterprise',
  ),
  expectedCloseAfter: query(IsoDate, 'expectedCloseAfter', 'Expected to close on or after this date', '2026-12-01'),
  expectedCloseBefore: query(IsoDate, 'expectedCloseBefore', 'Expected to close on or before this date', '2026-12-31'),
});

export const StageChangeListQuery = z.object({ limit: Limit, cursor: Cursor });

export const DealIdParam = z.object({
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path', description: 'The deal id (a UUID)' },
    example: '0193a5f8-7a81-7b2c-9d3e-4f5a6b7c8d9e',
  }),
});

// Examples, typed by the schemas they illustrate so a contract change that makes one stale fails the type check.

const dealId = '0193a5f8-7a81-7b2c-9d3e-4f5a6b7c8d9e';
const pipelineId = '0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e';
const discoveryId = '0193a5f7-6f71-7c8d-8e0f-2a3b4c5d6e7f';
const proposalId = '0193a5f7-6f72-7d8e-9f0a-3b4c5d6e7f8a';
const wonStageId = '0193a5f7-6f74-7f80-b1c2-5d6e7f8a9b0c';
const lostStageId = '0193a5f7-6f75-7091-82d3-6e7f8a9b0c1d';
const repId = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';

export const dealInputExample: z.input<typeof DealInput> = {
  name: 'Analytical Engines — 40 seats',
  amount: '12500.00',
  currency: 'EUR',
  expectedCloseDate: '2026-12-31',
  pipelineId,
  ownerId: repId,
  contactId: '0193a5f9-8b92-7c3d-8e4f-5a6b7c8d9e0f',
  companyId: '0193a5fa-9ca3-7d4e-9f50-6b7c8d9e0f1a',
  tags: ['enterprise', 'q4'],
};

export const dealExample: z.output<typeof DealSchema> = {
  id: dealId,
  name: 'Analytical Engines — 40 seats',
  amount: '12500.00',
  currency: 'EUR',
  expectedCloseDate: '2026-12-31',
  pipelineId,
  stageId: discoveryId,
  stageEnteredAt: '2026-11-27T12:00:00.000Z',
  status: 'open',
  closedAt: null,
  closeReason: null,
  ownerId: repId,
  contactId: '0193a5f9-8b92-7c3d-8e4f-5a6b7c8d9e0f',
  companyId: '0193a5fa-9ca3-7d4e-9f50-6b7c8d9e0f1a',
  tags: ['enterprise', 'q4'],
  customFields: { renewal: true },
  version: 1,
  createdAt: '2026-11-27T12:00:00.000Z',
  updatedAt: '2026-11-27T12:00:00.000Z',
};

export const dealPatchExample: z.input<typeof DealPatch> = { stageId: proposalId, amount: '14000.00' };

export const updatedDealExample: z.output<typeof DealSchema> = {
  ...dealExample,
  stageId: proposalId,
  stageEnteredAt: '2026-11-30T09:00:00.000Z',
  amount: '14000.00',
  version: 2,
  updatedAt: '2026-11-30T09:00:00.000Z',
};

export const dealListExample: z.output<typeof DealList> = {
  data: [updatedDealExample],
  nextCursor: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWY4LTdhODEtN2IyYy05ZDNlLTRmNWE2YjdjOGQ5ZSJ9',
};

export const wonInputExample: z.input<typeof WonInput> = { reason: 'Best total cost over 3 years' };

export const wonDealExample: z.output<typeof DealSchema> = {
  ...updatedDealExample,
  stageId: wonStageId,
  stageEnteredAt: '2026-12-15T16:30:00.000Z',
  status: 'won',
  closedAt: '2026-12-15T16:30:00.000Z',
  closeReason: 'Best total cost over 3 years',
  version: 3,
  updatedAt: '2026-12-15T16:30:00.000Z',
};

export const lostInputExample: z.input<typeof LostInput> = { reason: 'Chose a competitor on price' };

export const lostDealExample: z.output<typeof DealSchema> = {
  ...wonDealExample,
  stageId: lostStageId,
  status: 'lost',
  closeReason: 'Chose a competitor on price',
};

export const stageChangeListExample: z.output<typeof StageChangeList> = {
  data: [
    {
      id: '0193a5fb-0db4-7e5f-a061-7c8d9e0f1a2b',
      dealId,
      fromStageId: discoveryId,
      fromStageName: 'Discovery',
      toStageId: proposalId,
      toStageName: 'Proposal',
      changedBy: repId,
      changedAt: '2026-11-30T09:00:00.000Z',
      secondsInPreviousStage: 248400,
    },
    {
      id: '0193a5f8-7a82-7c3d-8e4f-5a6b7c8d9e0f',
      dealId,
      fromStageId: null,
      fromStageName: null,
      toStageId: discoveryId,
      toStageName: 'Discovery',
      changedBy: repId,
      changedAt: '2026-11-27T12:00:00.000Z',
      secondsInPreviousStage: null,
    },
  ],
  nextCursor: null,
};
