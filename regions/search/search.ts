import type { z } from '@hono/zod-openapi';
import { forbidden } from '../../openapi/errors.ts';
import type { SearchQuery } from '../../openapi/schemas/search.ts';
import { can, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { type SearchableType, searchableTypes } from './query.ts';

const readPermission = {
  lead: 'leads:read',
  contact: 'contacts:read',
  company: 'companies:read',
  deal: 'deals:read',
} as const satisfies Record<SearchableType, string>;

/** Searches only the types the caller may read, and within them only what the caller may see. */
export async function search(ctx: RegionContext, { principal }: Actor, query: z.infer<typeof SearchQuery>) {
  const wanted = query.types ? (query.types.split(',') as SearchableType[]) : [...searchableTypes];
  const types = [...new Set(wanted)].filter((type) => can(principal, readPermission[type]));
  if (types.length === 0) throw forbidden('You may not read any of the record types searched');
  const data = await ctx.search.search({
    organizationId: principal.organizationId,
    text: query.q,
    types,
    ownerOnly: ownRecordsOnly(principal),
    limit: query.limit,
  });
  return { data, backend: ctx.search.name };
}
