import type { z } from '@hono/zod-openapi';
import { arrayContains, eq, gte, ilike, lte, or, type SQL, sql } from 'drizzle-orm';
import { leads } from '../../db/schema/index.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { LeadListQuery, leadListOnly } from '../../openapi/schemas/leads.ts';
import { startsWith } from '../companies/page.ts';

export type LeadFilter = Omit<z.infer<typeof LeadListQuery>, keyof typeof leadListOnly>;

/**
 * Each filter of the lead list as SQL, one function per filter, shared by the list, its count, bulk selections and
 * the export so that all four select exactly the same leads.
 */
export const leadFilterConditions: { [K in keyof LeadFilter]-?: (value: NonNullable<LeadFilter[K]>) => SQL } = {
  status: (status) => eq(leads.status, status),
  ownerId: (id) => eq(leads.ownerId, id),
  source: (source) => eq(leads.source, source),
  scoreMin: (min) => gte(leads.score, min),
  scoreMax: (max) => lte(leads.score, max),
  tag: (tag) => arrayContains(leads.tags, [tag]),
  q: (q) =>
    or(
      ilike(leads.firstName, startsWith(q)),
      ilike(leads.lastName, startsWith(q)),
      ilike(sql`${leads.firstName} || ' ' || ${leads.lastName}`, startsWith(q)),
      ilike(leads.email, startsWith(q)),
      ilike(leads.company, startsWith(q)),
    )!,
};

/** The conditions of the filters given; a score range that cannot match anything is a 400, not an empty list. */
export function leadConditions(filter: LeadFilter): SQL[] {
  if (filter.scoreMin !== undefined && filter.scoreMax !== undefined && filter.scoreMin > filter.scoreMax) {
    throw badRequest('validation_failed', 'The score range is empty', [
      { path: 'scoreMin', message: 'Must not be above scoreMax' },
    ]);
  }
  const conditions: SQL[] = [];
  for (const [name, condition] of Object.entries(leadFilterConditions) as [keyof LeadFilter, (v: unknown) => SQL][]) {
    if (filter[name] !== undefined) conditions.push(condition(filter[name]));
  }
  return conditions;
}
