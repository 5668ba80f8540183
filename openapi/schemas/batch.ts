import { z } from '@hono/zod-openapi';

/** Most records one batch request may carry; the region writes them in transactions of BATCH_CHUNK. */
export const BATCH_MAX_RECORDS = 1000;

export const BatchRequest = z
  .strictObject({
    mode: z.enum(['create', 'upsert']).openapi({
      description: '`create` inserts every record; `upsert` updates the record matched on `matchOn`, else creates it',
    }),
    matchOn: z.enum(['email', 'domain', 'externalId']).optional().openapi({
      description:
        'The key an upsert matches on (required for upserts): leads and contacts on email or externalId, companies on domain or externalId, deals on externalId',
    }),
    records: z.array(z.record(z.string(), z.unknown())).min(1).max(BATCH_MAX_RECORDS).openapi({
      description:
        "Up to 1,000 records, each validated like the single create's body plus an optional `externalId`; an invalid record is reported in its result and the others are still written",
    }),
  })
  .openapi('BatchRequest');

export const BatchErrorSchema = z
  .object({
    code: z.string().openapi({ example: 'validation_failed' }),
    message: z.string().openapi({ example: 'The record is invalid' }),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('BatchError');

export const BatchResultSchema = z
  .object({
    index: z.number().int().min(0).openapi({ description: "The record's position in `records`" }),
    status: z.enum(['created', 'updated', 'unchanged', 'failed']),
    id: z.uuid().optional().openapi({ description: 'The id of the record written or matched' }),
    error: BatchErrorSchema.optional(),
  })
  .openapi('BatchResult');

export const BatchResponse = z
  .object({
    results: z.array(BatchResultSchema),
    created: z.number().int().min(0),
    updated: z.number().int().min(0),
    failed: z.number().int().min(0),
  })
  .openapi('BatchResponse');

export const batchRequestExample: z.input<typeof BatchRequest> = {
  mode: 'upsert',
  matchOn: 'externalId',
  records: [
    { externalId: 'hubspot-1001', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@analytical.example' },
    { externalId: 'hubspot-1002', firstName: 'Grace', email: 'not-an-email' },
  ],
};

export const batchResponseExample: z.output<typeof BatchResponse> = {
  results: [
    { index: 0, status: 'updated', id: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b' },
    {
      index: 1,
      status: 'failed',
      error: {
        code: 'validation_failed',
        message: 'The record is invalid',
        details: [{ path: 'email', message: 'Invalid email address' }],
      },
    },
  ],
  created: 0,
  updated: 1,
  failed: 1,
};
