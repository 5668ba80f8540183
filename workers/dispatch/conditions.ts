import type { AssignmentConditions } from '../../db/schema/assignment-enums.ts';

/** What rules match a lead on; the lead's own fields, as stored. */
export type LeadFacts = {
  country: string | null;
  region: string | null;
  industry: string | null;
  source: string | null;
};

export type ConditionMatch = { matched: boolean; detail: string };

/** Each condition list, the lead field it tests, and how values compare (country codes exactly, the rest caseless). */
const tests = [
  { list: 'countries', field: 'country', normal: (v: string) => v.trim().toUpperCase() },
  { list: 'regions', field: 'region', normal: (v: string) => v.trim().toLowerCase() },
  { list: 'industries', field: 'industry', normal: (v: string) => v.trim().toLowerCase() },
  { list: 'sources', field: 'source', normal: (v: string) => v.trim().toLowerCase() },
] as const;

/**
 * Whether a lead meets every condition given, with a sentence that says why: each failed condition
 * ("country FR is not one of DE, AT") when it does not, each met one when it does.
 */
export function matchConditions(conditions: AssignmentConditions | null, lead: LeadFacts): ConditionMatch {
  const met: string[] = [];
  const missed: string[] = [];
  for (const { list, field, normal } of tests) {
    const allowed = conditions?.[list];
    if (!allowed || allowed.length === 0) continue;
    const value = lead[field];
    const shown = allowed.join(', ');
    if (value === null || value.trim() === '') missed.push(`no ${field} given, needs one of ${shown}`);
    else if (allowed.some((a) => normal(a) === normal(value))) met.push(`${field} ${value} is one of ${shown}`);
    else missed.push(`${field} ${value} is not one of ${shown}`);
  }
  if (missed.length > 0) return { matched: false, detail: missed.join('; ') };
  return { matched: true, detail: met.length > 0 ? met.join('; ') : 'no conditions: takes every lead' };
}
