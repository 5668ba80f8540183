import { z } from '@hono/zod-openapi';
import { LifecycleStageSchema } from './contacts.ts';
import { DealStatusSchema } from './deals.ts';
import { LeadStatusSchema } from './leads.ts';

/** Most records one bulk action may touch; it is written in transactions of 500. */
export const BULK_MAX_RECORDS = 10_000;

const Ids = z.strictObject({
  ids: z
    .array(z.uuid())
    .min(1)
    .max(BULK_MAX_RECORDS)
    .openapi({ description: 'Up to 10,000 record ids; ids the caller cannot see are reported as `not_found`' }),
});

/** A bulk action's body: the action, its value, and either the ids or a list filter to apply it to. */
const bulkRequest = <A extends readonly [string, ...string[]], F extends z.ZodType>(
  name: string,
  actions: A,
  filter: F,
) =>
  z
    .strictObject({
      action: z.enum(actions),
      value: z.unknown().optional().openapi({
        description:
          'assign: a user id or null; set_status / set_stage / set_lifecycle_stage: the new value; add_tags / remove_tags: an array of tags; delete: none',
      }),
      select: z.union([Ids, z.strictObject({ filter })]).openapi({
        description: 'Either `{ ids }` or `{ filter }` with the list endpoint’s filters; at most 10,000 records',
      }),
    })
    .openapi(name);

export const LeadBulkFilter = z
  .strictObject({
    status: LeadStatusSchema.optional(),
    ownerId: z.uuid().optional(),
    source: z.string().max(100).optional(),
  })
  .openapi('LeadBulkFilter');

export const leadBulkActions = ['assign', 'set_status', 'add_tags', 'remove_tags', 'delete'] as const;
export const LeadBulkRequest = bulkRequest('LeadBulkRequest', leadBulkActions, LeadBulkFilter);

export const DealBulkFilter = z
  .strictObject({
    pipelineId: z.uuid().optional(),
    stageId: z.uuid().optional(),
    status: DealStatusSchema.optional(),
    ownerId: z.uuid().optional(),
    tag: z.string().trim().toLowerCase().min(1).max(50).optional(),
  })
  .openapi('DealBulkFilter');

export const dealBulkActions = ['set_stage', 'assign', 'add_tags', 'remove_tags'] as const;
export const DealBulkRequest = bulkRequest('DealBulkRequest', dealBulkActions, DealBulkFilter);

export const ContactBulkFilter = z
  .strictObject({
    ownerId: z.uuid().optional(),
    companyId: z.uuid().optional(),
    lifecycleStage: LifecycleStageSchema.optional(),
    tag: z.string().trim().toLowerCase().min(1).max(50).optional(),
  })
  .openapi('ContactBulkFilter');

export const contactBulkActions = ['set_lifecycle_stage', 'assign', 'add_tags', 'remove_tags'] as const;
export const ContactBulkRequest = bulkRequest('ContactBulkRequest', contactBulkActions, ContactBulkFilter);

export const BulkResultSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['updated', 'unchanged', 'failed', 'not_found']),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('BulkResult');

export const BulkResponse = z
  .object({
    results: z.array(BulkResultSchema),
    updated: z.number().int().min(0).openapi({ description: 'Records changed (or deleted)' }),
    unchanged: z.number().int().min(0),
    failed: z.number().int().min(0),
    notFound: z.number().int().min(0),
  })
  .openapi('BulkResponse');

export const leadBulkRequestExample: z.input<typeof LeadBulkRequest> = {
  action: 'set_status',
  value: 'qualified',
  select: { ids: ['0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b', '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2c'] },
};

export const bulkResponseExample: z.output<typeof BulkResponse> = {
  results: [
    { id: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b', status: 'updated' },
    { id: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2c', status: 'not_found' },
  ],
  updated: 1,
  unchanged: 0,
  failed: 0,
  notFound: 1,
};

export const dealBulkRequestExample: z.input<typeof DealBulkRequest> = {
  action: 'set_stage',
  value: '0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6f',
  select: { filter: { pipelineId: '0193a5f7-6f70-7b8c-9d0e-1f2a3b4c5d6e', status: 'open' } },
};

export const contactBulkRequestExample: z.input<typeof ContactBulkRequest> = {
  action: 'add_tags',
  value: ['newsletter'],
  select: { filter: { lifecycleStage: 'customer' } },
};
