// PATCH /api/v1/leads/{id}: changes the title of up to 200 existing leads. Use a test organization.
import { counter, DURATION, GOALS_MS, patchLead, pick, setupLeads, thresholds, VUS } from './lib/api.js';

export const options = {
  vus: VUS,
  duration: DURATION,
  thresholds: thresholds({ 'PATCH /leads/{id}': GOALS_MS.create }),
};
export const setup = setupLeads;

export default function (data) {
  const n = counter();
  patchLead(pick(data.ids, n), n);
}
