import type { z } from '@hono/zod-openapi';
import { and, arrayContains, desc, eq, ilike, lt, type SQL } from 'drizzle-orm';
import { companies } from '../../db/schema/index.ts';
import type { CompanyListQuery } from '../../openapi/schemas/companies.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldFilters } from '../custom-fields/filters.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor } from '../support/cursor.ts';
import { likeLiteral, pageOf, startsWith } from './page.ts';
import { companyView } from './view.ts';

/** Every company of the organization (they are shared reference data), newest first by UUIDv7 id. */
export async function listCompanies(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof CompanyListQuery>,
  raw?: Record<string, string>,
) {
  assertCan(principal, 'companies:read');
  const { organizationId } = principal;
  const conditions: SQL[] = [eq(companies.organizationId, organizationId)];
  if (query.ownerId) conditions.push(eq(companies.ownerId, query.ownerId));
  // Exact, but as a person types it: "computing" finds "Computing".
  if (query.industry) conditions.push(ilike(companies.industry, likeLiteral(query.industry)));
  if (query.size) conditions.push(eq(companies.size, query.size));
  if (query.tag) conditions.push(arrayContains(companies.tags, [query.tag]));
  if (query.domain) conditions.push(eq(companies.domain, query.domain));
  if (query.q) conditions.push(ilike(companies.name, startsWith(query.q)));
  if (query.cursor) conditions.push(lt(companies.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, async (tx) =>
    tx
      .select()
      .from(companies)
      .where(
        and(...conditions, ...(await customFieldFilters(tx, organizationId, 'company', companies.customFields, raw))),
      )
      .orderBy(desc(companies.id))
      .limit(query.limit + 1),
  );
  return pageOf(rows, query.limit, companyView);
}
