import { z } from '@hono/zod-openapi';

export const noContent = (description: string) => ({ description });

export const etagHeader = {
  ETag: {
    description: 'The version of the record; send it back in If-Match (writes) or If-None-Match (reads)',
    schema: { type: 'string' as const, example: '"v1"' },
  },
};

export const createdHeaders = {
  ...etagHeader,
  Location: {
    description: 'The URL of the new lead',
    schema: { type: 'string' as const, example: '/api/v1/leads/0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b' },
  },
  'Idempotent-Replayed': {
    description: 'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string' as const, enum: ['true'] },
  },
};

export const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .max(100)
    .optional()
    .openapi({
      param: {
        name: 'if-match',
        in: 'header',
        description: 'Only change the record if it still has this ETag',
        example: '"v1"',
      },
    }),
});

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({
      param: {
        name: 'idempotency-key',
        in: 'header',
        description: 'Repeat a create safely: the same key and body give the same response, never a duplicate',
        example: 'import-2026-11-27-row-42',
      },
    }),
});
