import { z } from '@hono/zod-openapi';
import { searchableTypes } from '../../regions/search/query.ts';
import { storable, unstorableMessage } from './text.ts';

export const SearchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine(storable, unstorableMessage)
    .openapi({
      param: {
        name: 'q',
        in: 'query',
        description:
          'What to look for: every word must match a word of the record, whole, as its beginning (the last word as typed so far) or, failing both, corrected for a typo against the organization’s own words; a word nothing in the organization resembles is left out',
      },
      example: 'ada lovel',
    }),
  types: z
    .string()
    .max(100)
    .regex(
      new RegExp(`^(${searchableTypes.join('|')})(,(${searchableTypes.join('|')}))*$`),
      'A comma-separated list of record types',
    )
    .optional()
    .openapi({
      param: { name: 'types', in: 'query', description: `Restrict to these types: ${searchableTypes.join(', ')}` },
      example: 'lead,contact',
    }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(20)
    .openapi({ param: { name: 'limit', in: 'query', description: 'At most this many results (1–50)' }, example: 20 }),
});

export const SearchHitSchema = z
  .object({
    type: z.enum(searchableTypes),
    id: z.uuid(),
    title: z.string(),
    subtitle: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    score: z.number(),
  })
  .openapi('SearchHit');

export const SearchResults = z.object({ data: z.array(SearchHitSchema), backend: z.string() }).openapi('SearchResults');

export const searchExample: z.output<typeof SearchResults> = {
  data: [
    {
      type: 'lead',
      id: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e',
      title: 'Ada Lovelace',
      subtitle: 'Analytical Engines · ada@analytical.example',
      ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d01',
      score: 1.42,
    },
  ],
  backend: 'postgres',
};
