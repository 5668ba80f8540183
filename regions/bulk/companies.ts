import type { z } from '@hono/zod-openapi';
import { and, arrayContains, eq, ilike } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { CompanyBulkFilter } from '../../openapi/schemas/bulk.ts';
import type { CompanyListQuery } from '../../openapi/schemas/companies.ts';
import type { Change } from '../batch/lead-change.ts';
import { recordChanges } from '../batch/record-many.ts';
import { assertMayChange } from '../companies/access.ts';
import { removeCompanies } from '../companies/delete.ts';
import { likeLiteral, startsWith } from '../companies/page.ts';
import { companyView } from '../companies/view.ts';
import { checkOwner } from '../support/owner.ts';
import { diff } from '../support/record.ts';
import { lockRows } from './lock.ts';
import type { BulkAdapter, BulkResult } from './run.ts';
import { customFieldSelection, type ListFilterConditions, listConditions, matchingIds } from './select.ts';
import { bulkValue, retag } from './value.ts';

type Filter = z.infer<typeof CompanyBulkFilter>;
type Company = typeof companies.$inferSelect;

/** The company list's filters, as listCompanies applies them. */
const companyFilters: ListFilterConditions<z.infer<typeof CompanyListQuery>> = {
  ownerId: (id) => eq(companies.ownerId, id),
  industry: (industry) => ilike(companies.industry, likeLiteral(industry)),
  size: (size) => eq(companies.size, size),
  tag: (tag) => arrayContains(companies.tags, [tag]),
  domain: (domain) => eq(companies.domain, domain),
  q: (q) => ilike(companies.name, startsWith(q)),
};

/**
 * Companies are shared: every caller sees them all, so an id of no company of the organization is `not_found`, and
 * one a sales rep may not change (not theirs) is that record's `failed` 403, as its PATCH would be.
 */
export const companyBulk: BulkAdapter<Filter, unknown> = {
  permission: (action) => (action === 'delete' ? 'companies:delete' : 'companies:update'),
  async prepare(tx, { principal }, action, value) {
    const parsed = bulkValue(action, value);
    if (action === 'assign') await checkOwner(tx, principal, parsed as string | null);
    return parsed;
  },
  async select(tx, { principal }, filter, limit) {
    const { organizationId } = principal;
    const conditions = [
      eq(companies.organizationId, organizationId),
      ...listConditions(companyFilters, filter),
      ...(await customFieldSelection(tx, organizationId, 'company', companies.customFields, filter)),
    ];
    return matchingIds(tx, companies, conditions, limit);
  },
  async apply(tx, actor, action, value, ids) {
    const { principal } = actor;
    const found = await lockRows(tx, companies, principal.organizationId, ids);
    // Deleting needs companies:delete, which only roles that may change every company hold.
    if (action === 'delete') {
      const storageKeys = await removeCompanies(tx, actor, [...found.values()]);
      return { results: ids.map((id) => ({ id, status: found.has(id) ? 'updated' : 'not_found' })), storageKeys };
    }
    const changes: Change[] = [];
    const results: BulkResult[] = [];
    for (const id of ids) {
      const current = found.get(id);
      if (!current) results.push({ id, status: 'not_found' });
      else results.push(refusal(principal, current) ?? (await changeCompany(tx, current, action, value, changes)));
    }
    await recordChanges(tx, actor, changes);
    return { results };
  },
};

/** The record's `failed` result when its single write would be refused (a rep's company that is not theirs). */
function refusal(principal: Principal, company: Company): BulkResult | null {
  try {
    assertMayChange(principal, company);
    return null;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { id: company.id, status: 'failed', error: { code: error.code, message: error.message } };
  }
}

function nextFields(current: Company, action: string, value: unknown): Partial<Company> {
  if (action === 'assign') return { ownerId: value as string | null };
  return { tags: retag(current.tags, action as 'add_tags' | 'remove_tags', value as string[]) };
}

/** One company's change as a PATCH makes it: versioned, with its `company.updated` audit row and event. */
async function changeCompany(
  tx: Tx,
  current: Company,
  action: string,
  value: unknown,
  changes: Change[],
): Promise<BulkResult> {
  const changed = diff(current as unknown as Record<string, unknown>, nextFields(current, action, value));
  if (Object.keys(changed).length === 0) return { id: current.id, status: 'unchanged' };
  const set = Object.fromEntries(Object.entries(changed).map(([field, [, after]]) => [field, after]));
  const [row] = await tx
    .update(companies)
    .set({ ...set, version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(companies.organizationId, current.organizationId), eq(companies.id, current.id)))
    .returning();
  const company = companyView(row!);
  const event = { type: 'company.updated', payload: { company, changes: changed } };
  changes.push({ action: 'company.updated', target: { type: 'company', id: company.id }, changes: changed, event });
  return { id: company.id, status: 'updated' };
}
