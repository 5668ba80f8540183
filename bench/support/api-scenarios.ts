import { FIRST_NAMES, LAST_NAMES } from './crm-seed.ts';
import type { LoadRequest } from './load.ts';

/**
 * The API benchmark's requests, as data: autocannon sends them (`{n}` a counter, `{id}` one of the seeded leads),
 * and loadtest/*.js sends the same ones with k6 against a deployment. Keep the two in step.
 */

/** The spec's goals for p95 with a million leads (issue #6). */
export const GOALS_MS = { list: 4.5, create: 12, search: 5, analytics: 20 } as const;

export const listLeads: LoadRequest = { method: 'GET', path: '/api/v1/leads' };
export const getLead: LoadRequest = { method: 'GET', path: '/api/v1/leads/{id}' };
/**
 * What a user types to find a person: a full name of the seeded ones (each names ~1/1,600 of the records, and its
 * last name 1/40), URL-encoded. The k6 scripts use the same names.
 */
export const SEARCH_TERMS = Array.from({ length: 50 }, (_, i) =>
  encodeURIComponent(`${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[(i * 7) % LAST_NAMES.length]}`.toLowerCase()),
);
export const search: LoadRequest = { method: 'GET', path: '/api/v1/search?q={term}' };
/**
 * The same names with a letter of the last name dropped, as typed in a hurry: no record has the words or their
 * prefixes, so the search runs every tier down to the words corrected for typos, as it does for any name with fewer
 * than a page of exact matches (`SEARCH_TERMS` name hundreds of records each and stop at the first tier).
 */
export const SEARCH_TYPO_TERMS = SEARCH_TERMS.map((term) => {
  const [first, last] = decodeURIComponent(term).split(' ') as [string, string];
  return encodeURIComponent(`${first} ${last.slice(0, 2)}${last.slice(3)}`);
});
export const patchLead: LoadRequest = { method: 'PATCH', path: '/api/v1/leads/{id}', body: { title: 'Buyer {n}' } };

/** A new lead each time; `stamp` keeps emails of different runs apart (duplicates are not what is measured). */
export const createLead = (stamp: string): LoadRequest => ({
  method: 'POST',
  path: '/api/v1/leads',
  body: {
    firstName: 'Load',
    lastName: 'Test {n}',
    email: `load.{n}.${stamp}@bench.example`,
    company: 'Bench Inc.',
    source: 'web_form',
  },
});

/** Every analytics report, over its default range (the last 30 days). */
export const reports = ['pipeline', 'funnel', 'win-rate', 'revenue', 'lead-sources', 'activity', 'leaderboard'];
export const report = (name: string): LoadRequest => ({ method: 'GET', path: `/api/v1/analytics/${name}` });

/**
 * The spec's load test ("1,000 concurrent users, 10k leads/hour, 100k API calls/hour") with the hour pressed into
 * a minute: 100,000 calls a minute (1,667/s), one in ten a new lead (10,000 a minute); the rest the reads a CRM's
 * users make most, with some edits, a search and a report. Each user (connection) sends them in this order.
 */
export const MIXED_CALLS_PER_SECOND = 100_000 / 60;
export const mixedCycle = (stamp: string): LoadRequest[] => [
  listLeads,
  getLead,
  listLeads,
  search,
  createLead(stamp),
  getLead,
  patchLead,
  listLeads,
  report('funnel'),
  getLead,
];
