// GET /api/v1/leads/{id} over up to 200 of the organization's leads.
import { counter, DURATION, GOALS_MS, getLead, pick, setupLeads, thresholds, VUS } from './lib/api.js';

export const options = { vus: VUS, duration: DURATION, thresholds: thresholds({ 'GET /leads/{id}': GOALS_MS.list }) };
export const setup = setupLeads;

export default function (data) {
  getLead(pick(data.ids, counter()));
}
