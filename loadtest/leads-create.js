// POST /api/v1/leads: a new lead (unique email) every iteration. It writes real leads: use a test organization.
import { counter, createLead, DURATION, GOALS_MS, setupLeads, thresholds, VUS } from './lib/api.js';

export const options = { vus: VUS, duration: DURATION, thresholds: thresholds({ 'POST /leads': GOALS_MS.create }) };
export const setup = setupLeads;

export default function () {
  createLead(counter());
}
