// Every analytics report over its default range (30 days), in turn.
import { counter, DURATION, GOALS_MS, REPORTS, report, setupLeads, thresholds, VUS } from './lib/api.js';

export const options = {
  vus: VUS,
  duration: DURATION,
  thresholds: thresholds(Object.fromEntries(REPORTS.map((name) => [`GET /analytics/${name}`, GOALS_MS.analytics]))),
};
export const setup = setupLeads;

export default function () {
  report(REPORTS[counter() % REPORTS.length]);
}
