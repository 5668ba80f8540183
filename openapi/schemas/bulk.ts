import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';
import { CompanyListQuery } from './companies.ts';
import { ContactListQuery } from './contacts.ts';
import { DealListQuery } from './deals.ts';
import { LeadListQuery, leadListOnly } from './leads.ts';
import { storable, unstorableMessage } from './text.ts';

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
      mode: z.enum(['auto', 'async']).optional().openapi({
        description:
          '`auto` (the default): up to 500 records are changed within the request (200 with the results), more in a background bulk job (202). `async`: always a bulk job, whatever the size.',
      }),
    })
    .openapi(name);

/** A `cf.<key>` filter's value: compared like the list's query parameter of that name (numbers and booleans too). */
const CustomFieldFilterValue = z.union([
  z.string().max(500).refine(storable, unstorableMessage),
  z.number(),
  z.boolean(),
]);

/**
 * A bulk selection's filter: the list endpoint's own query filters (its schema, so they parse and match alike) plus
 * any `cf.<key>` custom-field filter; any other key is a 400 naming it.
 */
function listFilter<S extends z.ZodRawShape>(name: string, what: string, filters: z.ZodObject<S>) {
  const known = new Set(Object.keys(filters.shape));
  return filters
    .catchall(CustomFieldFilterValue)
    .superRefine((filter, ctx) => {
      for (const key of Object.keys(filter)) {
        if (!known.has(key) && !key.startsWith('cf.'))
          ctx.addIssue({ code: 'custom', path: [key], message: 'Unknown field' });
      }
    })
    .openapi(name, {
      description: `The filters of the ${what} list (as its query parameters, combined with AND), and \`cf.<key>\` for a custom field`,
    });
}

const noPage = { limit: true, cursor: true } as const;

export const LeadBulkFilter = listFilter('LeadBulkFilter', 'lead', LeadListQuery.omit(leadListOnly));

export const leadBulkActions = ['assign', 'set_status', 'add_tags', 'remove_tags', 'delete'] as const;
export const LeadBulkRequest = bulkRequest('LeadBulkRequest', leadBulkActions, LeadBulkFilter);

export const DealBulkFilter = listFilter('DealBulkFilter', 'deal', DealListQuery.omit(noPage));

export const dealBulkActions = ['set_stage', 'assign', 'add_tags', 'remove_tags', 'delete'] as const;
export const DealBulkRequest = bulkRequest('DealBulkRequest', dealBulkActions, DealBulkFilter);

export const ContactBulkFilter = listFilter('ContactBulkFilter', 'contact', ContactListQuery.omit(noPage));

export const contactBulkActions = ['set_lifecycle_stage', 'assign', 'add_tags', 'remove_tags', 'delete'] as const;
export const ContactBulkRequest = bulkRequest('ContactBulkRequest', contactBulkActions, ContactBulkFilter);

export const CompanyBulkFilter = listFilter('CompanyBulkFilter', 'company', CompanyListQuery.omit(noPage));

export const companyBulkActions = ['assign', 'add_tags', 'remove_tags', 'delete'] as const;
export const CompanyBulkRequest = bulkRequest('CompanyBulkRequest', companyBulkActions, CompanyBulkFilter);

export const BulkResultSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['updated', 'unchanged', 'failed', 'not_found']),
    error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .openapi({ description: 'Why a `failed` record was not changed, for example `forbidden`' }),
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

export const companyBulkRequestExample: z.input<typeof CompanyBulkRequest> = {
  action: 'add_tags',
  value: ['key-account'],
  select: { filter: { industry: 'Computing', 'cf.region': 'emea' } },
};

export const companyBulkResponseExample: z.output<typeof BulkResponse> = {
  results: [
    { id: '0193a5fa-9ca3-7d4e-9f50-6b7c8d9e0f1a', status: 'updated' },
    { id: '0193a5fa-9ca3-7d4e-9f50-6b7c8d9e0f1b', status: 'unchanged' },
    {
      id: '0193a5fa-9ca3-7d4e-9f50-6b7c8d9e0f1c',
      status: 'failed',
      error: { code: 'forbidden', message: 'Sales reps may change only the companies they own' },
    },
  ],
  updated: 1,
  unchanged: 1,
  failed: 1,
  notFound: 0,
};

export const bulkJobStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;

export const BulkJobIdParam = z.object({
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path', description: 'The bulk job id (a UUID)' },
    example: '0193a601-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  }),
});

export const BulkJobSchema = z
  .object({
    id: z.uuid(),
    resource: z.enum(['leads', 'contacts', 'companies', 'deals']),
    action: z.string(),
    status: z.enum(bulkJobStatuses),
    total: z.number().int().min(0).openapi({ description: 'Records selected when the job was made' }),
    processed: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Records done so far; it moves after every chunk of 500' }),
    updated: z.number().int().min(0),
    unchanged: z.number().int().min(0),
    failed: z.number().int().min(0),
    notFound: z.number().int().min(0),
    results: z
      .array(BulkResultSchema)
      .nullable()
      .openapi({ description: 'One result per record processed, once the job is completed, failed or cancelled' }),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .openapi({ description: 'Why a `failed` job stopped' }),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .openapi('BulkJob');

export const bulkJobExample: z.output<typeof BulkJobSchema> = {
  id: '0193a601-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  resource: 'leads',
  action: 'set_status',
  status: 'running',
  total: 1200,
  processed: 500,
  updated: 498,
  unchanged: 2,
  failed: 0,
  notFound: 0,
  results: null,
  error: null,
  createdAt: '2026-01-15T10:00:00.000Z',
  startedAt: '2026-01-15T10:00:01.000Z',
  finishedAt: null,
};
