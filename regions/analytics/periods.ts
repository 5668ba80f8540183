import { addDays, addMonths, startOfMonth, startOfWeek } from './calendar.ts';
import type { ReportRange } from './range.ts';
import { startOfDayIn } from './zoned.ts';

export const periods = ['day', 'week', 'month'] as const;
export type Period = (typeof periods)[number];

/**
 * One period of a report: `period` names it (the day, the Monday its ISO week starts on, or `YYYY-MM`) and
 * `start`/`end` are the days of it inside the range (the first and last periods may be partial).
 */
export type PeriodBucket = { period: string; start: string; end: string };

const periodStart: Record<Period, (day: string) => string> = {
  day: (day) => day,
  week: startOfWeek,
  month: startOfMonth,
};
const nextPeriod: Record<Period, (start: string) => string> = {
  day: (day) => addDays(day, 1),
  week: (day) => addDays(day, 7),
  month: (day) => addMonths(day, 1),
};

/** Every period the range touches, in order, empty ones included, so a chart has no holes. */
export function periodBuckets(from: string, to: string, period: Period): PeriodBucket[] {
  const buckets: PeriodBucket[] = [];
  for (let start = periodStart[period](from); start <= to; start = nextPeriod[period](start)) {
    const end = addDays(nextPeriod[period](start), -1);
    buckets.push({
      period: period === 'month' ? start.slice(0, 7) : start,
      start: start < from ? from : start,
      end: end > to ? to : end,
    });
  }
  return buckets;
}

/**
 * The instants that separate the buckets in the range's zone: bucket i (from 1) holds [bounds[i-1], bounds[i]),
 * which is what PostgreSQL's width_bucket answers for a time inside the range.
 */
export function bucketBounds(range: ReportRange, buckets: readonly PeriodBucket[]): Date[] {
  return [...buckets.map((b) => startOfDayIn(range.timeZone, b.start)), range.end];
}
