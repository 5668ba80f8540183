// GET /api/v1/leads at fixed concurrency (VUS, DURATION). With the edge's read cache on, repeats are cache hits.
import { DURATION, GOALS_MS, listLeads, setupLeads, thresholds, VUS } from './lib/api.js';

export const options = { vus: VUS, duration: DURATION, thresholds: thresholds({ 'GET /leads': GOALS_MS.list }) };
export const setup = setupLeads;

export default function () {
  listLeads();
}
