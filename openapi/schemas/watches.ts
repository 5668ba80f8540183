import { z } from '@hono/zod-openapi';
import { watchTargetTypes } from '../../db/schema/watches.ts';
import { Timestamp } from './common.ts';
import { PageQuery } from './companies.ts';

export const WatchTargetTypeSchema = z.enum(watchTargetTypes).openapi('WatchTargetType', {
  description:
    'A record (`lead`, `contact`, `company`, `deal`: a notification when someone else changes it or an activity is logged on it) or a `saved_view` (a periodic digest of the records new or changed in it)',
});

const exampleId = '0193a601-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const exampleUser = '0193a5f3-2b3c-7d4e-9f5a-6b7c8d9e0f1a';
const exampleLead = '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b';

export const WatchInput = z
  .strictObject({
    targetType: WatchTargetTypeSchema,
    targetId: z.uuid().openapi({ description: 'The id of the record or saved view', example: exampleLead }),
  })
  .openapi('WatchInput');

export const WatchSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid().openapi({ description: 'The member who watches' }),
    targetType: WatchTargetTypeSchema,
    targetId: z.uuid(),
    lastDigestAt: Timestamp.nullable().openapi({
      description: 'Saved views: how far the digest has looked (records changed after it come in the next one)',
    }),
    createdAt: Timestamp,
  })
  .openapi('Watch');

export const WatchList = z
  .object({
    data: z.array(WatchSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('WatchList');

export const WatchListQuery = PageQuery.extend({
  targetType: WatchTargetTypeSchema.optional().openapi({
    param: { name: 'targetType', in: 'query', description: 'Only watches of this kind of target', example: 'lead' },
  }),
});

export const watchInputExample = { targetType: 'lead', targetId: exampleLead } satisfies z.input<typeof WatchInput>;

export const watchExample = {
  id: exampleId,
  userId: exampleUser,
  targetType: 'lead',
  targetId: exampleLead,
  lastDigestAt: null,
  createdAt: '2026-11-25T15:06:50.000Z',
} satisfies z.output<typeof WatchSchema>;

export const watchListExample = { data: [watchExample], nextCursor: null };
