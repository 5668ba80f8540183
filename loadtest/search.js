// GET /api/v1/search with a different prefix query every iteration.
import { counter, DURATION, GOALS_MS, search, setupLeads, thresholds, VUS } from './lib/api.js';

export const options = { vus: VUS, duration: DURATION, thresholds: thresholds({ 'GET /search': GOALS_MS.search }) };
export const setup = setupLeads;

export default function () {
  search(counter());
}
