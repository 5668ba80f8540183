import { z } from '@hono/zod-openapi';
import { ErrorSchema } from '../schemas/common.ts';

export const conflictResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

export const noContent = (description: string) => ({ description });

export const etagHeader = {
  ETag: { description: 'The version of the record; send it back in If-Match', schema: { type: 'string' as const } },
};

export const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .max(100)
    .optional()
    .openapi({
      param: { name: 'if-match', in: 'header' },
      description: 'Only change the record if it still has this ETag',
    }),
});

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description: 'Repeat a create safely: the same key and body give the same response, never a duplicate',
    }),
});
