import { badRequest, type FieldIssue } from '../../openapi/errors.ts';
import { addDays, addYears, daysBetween, isDay } from './calendar.ts';
import { dayIn, endOfDayIn, isTimeZone, startOfDayIn } from './zoned.ts';

/** A report's days, inclusive, in a time zone, and the instants they span: [start, end). */
export type ReportRange = { from: string; to: string; timeZone: string; start: Date; end: Date };

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_YEARS = 3;
/** Days a report may name: wide enough for any CRM's history, narrow enough that whole weeks around them exist. */
const EARLIEST_DAY = '1900-01-01';
const LATEST_DAY = '9998-12-31';

/**
 * The range a report covers: `to` defaults to today in the zone, `from` to 30 days ending on `to`. Days are the
 * zone's days, so a Tokyo manager's "yesterday" is Tokyo's. Anything unusable is a 400 naming the parameter.
 */
export function reportRange(query: { from?: string; to?: string; tz?: string }, now = new Date()): ReportRange {
  const issues: FieldIssue[] = [];
  const timeZone = query.tz ?? 'UTC';
  if (!isTimeZone(timeZone)) issues.push({ path: 'tz', message: 'Not a known IANA time zone, e.g. Europe/Paris' });
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value === undefined) continue;
    if (!isDay(value)) issues.push({ path: field, message: 'Not a calendar day (YYYY-MM-DD)' });
    else if (value < EARLIEST_DAY || value > LATEST_DAY) {
      issues.push({ path: field, message: `Must be between ${EARLIEST_DAY} and ${LATEST_DAY}` });
    }
  }
  if (issues.length > 0) throw invalid(issues);

  const to = query.to ?? dayIn(timeZone, now);
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (daysBetween(from, to) < 0) throw invalid([{ path: 'from', message: 'from must not be after to' }]);
  // Three calendar years at most: 2024-01-01 to 2026-12-31 is the longest range ending on that day.
  if (from <= addYears(to, -MAX_RANGE_YEARS)) {
    throw invalid([{ path: 'from', message: `The range may span at most ${MAX_RANGE_YEARS} years` }]);
  }
  return { from, to, timeZone, start: startOfDayIn(timeZone, from), end: endOfDayIn(timeZone, to) };
}

const invalid = (details: FieldIssue[]) => badRequest('validation_failed', 'The request query is invalid', details);
