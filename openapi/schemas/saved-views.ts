import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';
import { PageQuery } from './companies.ts';
import { storable, storableText, unstorableMessage } from './text.ts';

export const savedViewEntities = ['lead', 'contact', 'company', 'deal', 'activity'] as const;
export const SavedViewEntitySchema = z.enum(savedViewEntities).openapi('SavedViewEntity');

const exampleId = '0193a5fd-2b3c-7d4e-8f5a-6b7c8d9e0f1a';
const exampleOwner = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';

const Filters = z
  .record(
    z.string().min(1).max(60),
    z.union([z.string().max(500).refine(storable, unstorableMessage), z.number(), z.boolean()]),
  )
  .refine((f) => Object.keys(f).length <= 30, 'At most 30 filters')
  .openapi('SavedViewFilters', {
    description:
      "The list's query parameters, by name (for example `status`, `tag`, `ownerId`, or `cf.<key>` for a custom field); checked against the list of the view's kind of record.",
    example: { status: 'qualified', tag: 'enterprise' },
  });

const SortSchema = z
  .array(
    z.strictObject({
      field: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_.]{0,59}$/, 'A field name')
        .openapi({ example: 'createdAt' }),
      direction: z.enum(['asc', 'desc']),
    }),
  )
  .max(5)
  .openapi('SavedViewSort', { example: [{ field: 'createdAt', direction: 'desc' }] });

const Name = storableText(100).pipe(z.string().min(1)).openapi({ example: 'Qualified enterprise leads' });

export const SavedViewInput = z
  .strictObject({
    name: Name,
    entity: SavedViewEntitySchema,
    filters: Filters.optional(),
    sort: SortSchema.optional(),
    shared: z.boolean().optional().openapi({ description: 'Visible (read-only) to the whole organization' }),
  })
  .openapi('SavedViewInput');

export const SavedViewPatch = z
  .strictObject({
    name: Name.optional(),
    filters: Filters.optional(),
    sort: SortSchema.optional(),
    shared: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change')
  .openapi('SavedViewPatch');

export const SavedViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    entity: SavedViewEntitySchema,
    filters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    sort: z.array(z.object({ field: z.string(), direction: z.enum(['asc', 'desc']) })),
    shared: z.boolean(),
    ownerId: z.uuid(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('SavedView');

export const SavedViewList = z
  .object({
    data: z.array(SavedViewSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('SavedViewList');

// The same paging as every other list; only the entity filter is this list's own.
export const SavedViewListQuery = PageQuery.extend({
  entity: SavedViewEntitySchema.optional().openapi({
    param: { name: 'entity', in: 'query', description: 'Only views of this kind of record', example: 'lead' },
  }),
});

export const savedViewInputExample = {
  name: 'Qualified enterprise leads',
  entity: 'lead',
  filters: { status: 'qualified', tag: 'enterprise' },
  sort: [{ field: 'createdAt', direction: 'desc' }],
  shared: true,
} satisfies z.input<typeof SavedViewInput>;

export const savedViewExample = {
  id: exampleId,
  name: 'Qualified enterprise leads',
  entity: 'lead',
  filters: { status: 'qualified', tag: 'enterprise' },
  sort: [{ field: 'createdAt', direction: 'desc' }],
  shared: true,
  ownerId: exampleOwner,
  createdAt: '2026-11-25T15:06:50.000Z',
  updatedAt: '2026-11-25T15:06:50.000Z',
} satisfies z.output<typeof SavedViewSchema>;

export const savedViewPatchExample = { name: 'Hot enterprise leads', shared: false };
export const updatedSavedViewExample = {
  ...savedViewExample,
  name: 'Hot enterprise leads',
  shared: false,
  updatedAt: '2026-11-26T09:12:00.000Z',
};
export const savedViewListExample = { data: [savedViewExample], nextCursor: null };
