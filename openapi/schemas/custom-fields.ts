import { z } from '@hono/zod-openapi';
import { customFieldEntities, customFieldTypes } from '../../db/schema/crm-enums.ts';
import { Timestamp } from './common.ts';
import { storable, storableText, unstorableMessage } from './text.ts';

const exampleId = '0193a5fc-1a2b-7c3d-8e4f-5a6b7c8d9e0f';

/** A record's custom field values as clients send them; checked against the organization's definitions on write. */
export const CustomFieldValuesInput = z
  .record(
    z.string().max(40),
    z.union([
      z.string().max(2000).refine(storable, unstorableMessage),
      z.number(),
      z.boolean(),
      z.array(z.string().max(200).refine(storable, unstorableMessage)).max(100),
      z.null(),
    ]),
  )
  .openapi('CustomFieldValuesInput', {
    description:
      'Values of the custom fields defined for this kind of record (see /api/v1/custom-fields), by key. On PATCH they merge into the current ones and `null` removes one.',
    example: { industry_tier: 'gold', seats: 120 },
  });

/** Custom field values as a record shows them. */
export const CustomFieldValuesSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]))
  .openapi('CustomFieldValues', { example: { industry_tier: 'gold', seats: 120 } });

export const CustomFieldEntitySchema = z.enum(customFieldEntities).openapi('CustomFieldEntity');
export const CustomFieldTypeSchema = z.enum(customFieldTypes).openapi('CustomFieldType');

const Key = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'snake_case: lower-case letters, digits and single underscores')
  .openapi({ example: 'industry_tier' });
const Options = z
  .array(storableText(100).pipe(z.string().min(1)))
  .min(1)
  .max(100)
  .refine((o) => new Set(o).size === o.length, 'Options must be unique')
  .openapi({ example: ['gold', 'silver', 'bronze'] });
const needsOptions = (type: string | undefined) => type === 'select' || type === 'multi_select';

export const CustomFieldInput = z
  .strictObject({
    entity: CustomFieldEntitySchema,
    key: Key,
    label: storableText(100).pipe(z.string().min(1)).openapi({ example: 'Industry tier' }),
    type: CustomFieldTypeSchema,
    options: Options.optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10000).optional(),
  })
  .refine((v) => needsOptions(v.type) === (v.options !== undefined), {
    message: 'Give options for select and multi_select fields, and only for them',
    path: ['options'],
  })
  .openapi('CustomFieldInput');

export const CustomFieldPatch = z
  .strictObject({
    key: Key.optional(),
    label: storableText(100).pipe(z.string().min(1)).optional(),
    type: CustomFieldTypeSchema.optional(),
    options: Options.optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('CustomFieldPatch');

export const CustomFieldSchema = z
  .object({
    id: z.uuid(),
    entity: CustomFieldEntitySchema,
    key: z.string(),
    label: z.string(),
    type: CustomFieldTypeSchema,
    options: z.array(z.string()).nullable(),
    required: z.boolean(),
    position: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('CustomField');

export const CustomFieldList = z.object({ data: z.array(CustomFieldSchema) }).openapi('CustomFieldList');

export const CustomFieldListQuery = z.object({
  entity: CustomFieldEntitySchema.optional().openapi({
    param: { name: 'entity', in: 'query', description: 'Only the fields of this kind of record', example: 'company' },
  }),
});

export const customFieldInputExample = {
  entity: 'company',
  key: 'industry_tier',
  label: 'Industry tier',
  type: 'select',
  options: ['gold', 'silver', 'bronze'],
  required: false,
  position: 0,
} satisfies z.input<typeof CustomFieldInput>;

export const customFieldExample = {
  id: exampleId,
  entity: 'company',
  key: 'industry_tier',
  label: 'Industry tier',
  type: 'select',
  options: ['gold', 'silver', 'bronze'],
  required: false,
  position: 0,
  createdAt: '2026-11-25T15:06:50.000Z',
  updatedAt: '2026-11-25T15:06:50.000Z',
} satisfies z.output<typeof CustomFieldSchema>;

export const customFieldPatchExample = { label: 'Tier', options: ['gold', 'silver', 'bronze', 'platinum'] };
export const updatedCustomFieldExample = {
  ...customFieldExample,
  label: 'Tier',
  options: ['gold', 'silver', 'bronze', 'platinum'],
  updatedAt: '2026-11-26T09:12:00.000Z',
};
export const customFieldListExample = { data: [customFieldExample] };
