import type { z } from '@hono/zod-openapi';
import { and, arrayContains, desc, eq, ilike, lt, or, type SQL, sql } from 'drizzle-orm';
import { contacts } from '../../db/schema/index.ts';
import type { ContactListQuery } from '../../openapi/schemas/contacts.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import { pageOf, startsWith } from '../companies/page.ts';
import type { RegionContext } from '../context.ts';
import { customFieldFilters } from '../custom-fields/filters.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor } from '../support/cursor.ts';
import { contactView } from './view.ts';

/** Newest first by UUIDv7 id; a sales rep pages through only the contacts they own. */
export async function listContacts(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof ContactListQuery>,
  raw?: Record<string, string>,
) {
  assertCan(principal, 'contacts:read');
  const { organizationId } = principal;
  const conditions: (SQL | undefined)[] = [eq(contacts.organizationId, organizationId)];
  const own = ownRecordsOnly(principal);
  if (own) conditions.push(eq(contacts.ownerId, own));
  if (query.ownerId) conditions.push(eq(contacts.ownerId, query.ownerId));
  if (query.companyId) conditions.push(eq(contacts.companyId, query.companyId));
  if (query.lifecycleStage) conditions.push(eq(contacts.lifecycleStage, query.lifecycleStage));
  if (query.tag) conditions.push(arrayContains(contacts.tags, [query.tag]));
  if (query.email) conditions.push(eq(contacts.email, query.email.toLowerCase()));
  if (query.q) {
    const prefix = startsWith(query.q);
    conditions.push(
      or(
        ilike(contacts.firstName, prefix),
        ilike(contacts.lastName, prefix),
        ilike(sql`${contacts.firstName} || ' ' || ${contacts.lastName}`, prefix),
        ilike(contacts.email, prefix),
      ),
    );
  }
  if (query.cursor) conditions.push(lt(contacts.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, async (tx) =>
    tx
      .select()
      .from(contacts)
      .where(
        and(...conditions, ...(await customFieldFilters(tx, organizationId, 'contact', contacts.customFields, raw))),
      )
      .orderBy(desc(contacts.id))
      .limit(query.limit + 1),
  );
  return pageOf(rows, query.limit, contactView);
}
