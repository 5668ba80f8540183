// The spec's load test: 1,000 concurrent users, 100,000 API calls and 10,000 new leads an hour. SCALE presses the
// hour (SCALE=60: the same calls in a minute, as `npm run bench -- api` does); USERS changes the users.
import {
  counter,
  createLead,
  GOALS_MS,
  getLead,
  listLeads,
  patchLead,
  pick,
  report,
  search,
  setupLeads,
  thresholds,
} from './lib/api.js';

const SCALE = Number(__ENV.SCALE || 1);
const USERS = Number(__ENV.USERS || 1000);
const CALLS_PER_HOUR = 100_000;

export const options = {
  scenarios: {
    users: {
      executor: 'constant-arrival-rate',
      rate: CALLS_PER_HOUR * SCALE,
      timeUnit: '1h',
      duration: __ENV.DURATION || `${Math.max(1, Math.round(60 / SCALE))}m`,
      preAllocatedVUs: USERS,
      maxVUs: USERS,
    },
  },
  thresholds: thresholds({
    'GET /leads': GOALS_MS.list,
    'POST /leads': GOALS_MS.create,
    'GET /search': GOALS_MS.search,
    'GET /analytics/funnel': GOALS_MS.analytics,
  }),
};
export const setup = setupLeads;

/** One call per iteration, in the benchmark's order: one in ten creates a lead (10,000 of 100,000 an hour). */
const cycle = [
  () => listLeads(),
  (ids, n) => getLead(pick(ids, n)),
  () => listLeads(),
  (_ids, n) => search(n),
  (_ids, n) => createLead(n),
  (ids, n) => getLead(pick(ids, n)),
  (ids, n) => patchLead(pick(ids, n), n),
  () => listLeads(),
  () => report('funnel'),
  (ids, n) => getLead(pick(ids, n)),
];

export default function (data) {
  const n = counter();
  cycle[n % cycle.length](data.ids, n);
}
