import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import { activities, contacts, deals } from '../../db/schema/index.ts';
import type { PageQuery } from '../../openapi/schemas/companies.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import { contactView } from '../contacts/view.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor } from '../support/cursor.ts';
import { findCompany } from './access.ts';
import { pageOf } from './page.ts';
import { activitySummaries, activitySummaryView, dealSummaries, dealSummaryView } from './summaries.ts';

type Page = z.infer<typeof PageQuery>;

/** The company's contacts the caller may see (a sales rep: their own), newest first. */
export async function listCompanyContacts(ctx: RegionContext, { principal }: Actor, id: string, query: Page) {
  assertCan(principal, 'companies:read');
  assertCan(principal, 'contacts:read');
  const { organizationId } = principal;
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const own = ownRecordsOnly(principal);
  const rows = await ctx.shards.withTenant(organizationId, async (tx) => {
    await findCompany(tx, organizationId, id);
    return tx
      .select()
      .from(contacts)
      .where(
        and(
          eq(contacts.organizationId, organizationId),
          eq(contacts.companyId, id),
          own ? eq(contacts.ownerId, own) : undefined,
          before ? lt(contacts.id, before) : undefined,
        ),
      )
      .orderBy(desc(contacts.id))
      .limit(query.limit + 1);
  });
  return pageOf(rows, query.limit, contactView);
}

/** The company's deals (every status) the caller may see, newest first. */
export async function listCompanyDeals(ctx: RegionContext, { principal }: Actor, id: string, query: Page) {
  assertCan(principal, 'companies:read');
  assertCan(principal, 'deals:read');
  const { organizationId } = principal;
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await ctx.shards.withTenant(organizationId, async (tx) => {
    await findCompany(tx, organizationId, id);
    return dealSummaries(tx, principal, { where: eq(deals.companyId, id), limit: query.limit + 1, before });
  });
  return pageOf(rows, query.limit, dealSummaryView);
}

/** The company's activities the caller may see, newest first. */
export async function listCompanyActivities(ctx: RegionContext, { principal }: Actor, id: string, query: Page) {
  assertCan(principal, 'companies:read');
  assertCan(principal, 'activities:read');
  const { organizationId } = principal;
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await ctx.shards.withTenant(organizationId, async (tx) => {
    await findCompany(tx, organizationId, id);
    return activitySummaries(tx, principal, { where: eq(activities.companyId, id), limit: query.limit + 1, before });
  });
  return pageOf(rows, query.limit, activitySummaryView);
}
