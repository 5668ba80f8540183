// The API benchmark's requests (bench/support/api-scenarios.ts), for k6 against a deployment. Keep the two in step.
import { check, fail } from 'k6';
import http from 'k6/http';

/** Where to send the load and as whom: `k6 run -e BASE_URL=https://crm.example -e TOKEN=<access token> …`. */
export const BASE_URL = (__ENV.BASE_URL || '').replace(/\/+$/, '');
export const TOKEN = __ENV.TOKEN || '';

/** The spec's goals for p95 (issue #6), as k6 thresholds: a run that misses one exits non-zero. */
export const GOALS_MS = { list: 4.5, create: 12, search: 5, analytics: 20 };

/** Concurrency and length of the single-endpoint scripts (the benchmark's: 8 connections). */
export const VUS = Number(__ENV.VUS || 8);
export const DURATION = __ENV.DURATION || '1m';

/** The spec's reports, each over its default range (the last 30 days). */
export const REPORTS = ['pipeline', 'funnel', 'win-rate', 'revenue', 'lead-sources', 'activity', 'leaderboard'];

const params = (name, body) => ({
  headers: {
    authorization: `Bearer ${TOKEN}`,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  },
  tags: { name },
});

function expectOk(response, name) {
  check(response, { [`${name} is 2xx`]: (r) => r.status >= 200 && r.status < 300 });
  return response;
}

/** A different number on every iteration of every VU: the `{n}` of the benchmark's requests. */
export const counter = () => __VU * 1_000_000 + __ITER;

export const listLeads = () => expectOk(http.get(`${BASE_URL}/api/v1/leads`, params('GET /leads')), 'GET /leads');

export const getLead = (id) =>
  expectOk(http.get(`${BASE_URL}/api/v1/leads/${id}`, params('GET /leads/{id}')), 'GET /leads/{id}');

/**
 * What users type to find a person: full names (the benchmark's seed uses these first and last names). Set
 * SEARCH_TERMS=a,b,c to names the organization under test holds.
 */
export const SEARCH_TERMS = (
  __ENV.SEARCH_TERMS || 'ada lovelace,grace turing,alan hamilton,edsger torvalds,barbara shannon'
)
  .split(',')
  .map((term) => term.trim())
  .filter(Boolean);

export const search = (n) =>
  expectOk(
    http.get(
      `${BASE_URL}/api/v1/search?q=${encodeURIComponent(SEARCH_TERMS[n % SEARCH_TERMS.length])}`,
      params('GET /search'),
    ),
    'GET /search',
  );

export function createLead(n) {
  const body = JSON.stringify({
    firstName: 'Load',
    lastName: `Test ${n}`,
    email: `load.${n}.${Date.now().toString(36)}@k6.example`,
    company: 'Load Test Inc.',
    source: 'web_form',
  });
  return expectOk(http.post(`${BASE_URL}/api/v1/leads`, body, params('POST /leads', body)), 'POST /leads');
}

export function patchLead(id, n) {
  const body = JSON.stringify({ title: `Buyer ${n}` });
  return expectOk(http.patch(`${BASE_URL}/api/v1/leads/${id}`, body, params('PATCH /leads/{id}', body)), 'PATCH');
}

export const report = (name) =>
  expectOk(
    http.get(`${BASE_URL}/api/v1/analytics/${name}`, params(`GET /analytics/${name}`)),
    `GET /analytics/${name}`,
  );

/** setup(): checks the configuration and reads up to 200 of the organization's lead ids to get and edit. */
export function setupLeads() {
  if (!BASE_URL || !TOKEN) fail('set BASE_URL and TOKEN: k6 run -e BASE_URL=https://… -e TOKEN=… <script>');
  const response = http.get(`${BASE_URL}/api/v1/leads?limit=200`, params('setup'));
  if (response.status !== 200) fail(`GET /api/v1/leads answered ${response.status}: is the token valid?`);
  const ids = response.json('data').map((lead) => lead.id);
  if (ids.length === 0) fail('the organization has no leads to read or edit: import some first');
  return { ids };
}

export const pick = (ids, n) => ids[n % ids.length];

/** p95 thresholds for requests tagged with `name`, and no more than 1% of requests failing. */
export const thresholds = (byName) => ({
  http_req_failed: ['rate<0.01'],
  ...Object.fromEntries(
    Object.entries(byName).map(([name, ms]) => [`http_req_duration{name:${name}}`, [`p(95)<${ms}`]]),
  ),
});
