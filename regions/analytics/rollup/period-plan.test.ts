import { describe, expect, it } from 'vitest';
import { bucketBounds, type Period, periodBuckets } from '../periods.ts';
import { reportRange } from '../range.ts';
import { addMonths, DAY_MS, HOUR_MS, MONTH_BUCKET_HOURS } from './buckets.ts';
import { mergeSpans, periodPlan, type Span } from './period-plan.ts';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-12-06T12:34:56Z');

function boundsOf(from: string, to: string, tz: string, period: Period) {
  const range = reportRange({ from, to, tz }, NOW);
  return bucketBounds(range, periodBuckets(range.from, range.to, period));
}

/** The buckets a rolled span reads, as the instants each covers. */
function bucketsOf({ bucketHours, span }: { bucketHours: number; span: Span }): Span[] {
  const buckets: Span[] = [];
  for (let b = span.from; b < span.to; ) {
    const next = bucketHours === MONTH_BUCKET_HOURS ? addMonths(b, 1) : new Date(b.getTime() + bucketHours * HOUR_MS);
    buckets.push({ from: b, to: next });
    b = next;
  }
  return buckets;
}

describe('a period plan', () => {
  const cases = [
    ['2024-01-01', '2026-11-30', 'UTC', 'month'],
    ['2024-01-01', '2026-11-30', 'America/New_York', 'week'],
    ['2024-01-01', '2026-12-06', 'Asia/Kolkata', 'day'],
    ['2025-03-01', '2025-04-15', 'Australia/Adelaide', 'week'],
    ['2025-02-10', '2025-02-10', 'Asia/Kolkata', 'month'],
    ['2026-11-01', '2026-12-10', 'Europe/Paris', 'month'],
  ] as const;

  it.each(cases)('covers %s..%s in %s per %s once, each bucket inside one period', (from, to, tz, period) => {
    const bounds = boundsOf(from, to, tz, period);
    const plan = periodPlan(bounds, NOW);
    const buckets = plan.rolled.flatMap(bucketsOf);
    // Rolled buckets and base spans tile the range exactly: no instant read twice, none missed.
    const pieces = [...buckets, ...plan.base].sort((a, b) => a.from.getTime() - b.from.getTime());
    let cursor = bounds[0]!;
    for (const piece of pieces) {
      expect(piece.from).toEqual(cursor);
      cursor = piece.to;
    }
    expect(cursor).toEqual(bounds.at(-1));
    for (const bucket of buckets) {
      const period = bounds.findIndex((b) => b > bucket.from);
      expect(bucket.to.getTime()).toBeLessThanOrEqual(bounds[period]!.getTime());
      // Nothing from the hour being written on.
      expect(bucket.to.getTime()).toBeLessThanOrEqual(Math.floor(NOW.getTime() / HOUR_MS) * HOUR_MS);
    }
    expect(plan.window === null).toBe(plan.rolled.length === 0);
  });

  it('reads months and days where periods hold them, and the hours across zone midnights off the hour', () => {
    const utc = periodPlan(boundsOf('2024-01-01', '2026-11-30', 'UTC', 'month'), NOW);
    expect(utc.rolled).toHaveLength(1);
    expect(utc.rolled[0]!.bucketHours).toBe(MONTH_BUCKET_HOURS);
    expect(utc.base).toEqual([]);

    const kolkata = periodPlan(boundsOf('2025-01-01', '2025-12-31', 'Asia/Kolkata', 'month'), NOW);
    // Each month's edge hour (18:00-19:00 UTC) is a base span: the deals in it split between two months.
    expect(kolkata.base.filter((b) => b.to.getTime() - b.from.getTime() === HOUR_MS)).toHaveLength(11);
    expect(kolkata.base.every((b) => b.to.getTime() - b.from.getTime() <= HOUR_MS)).toBe(true);
    expect(kolkata.rolled.some((r) => r.bucketHours === 24)).toBe(true);

    // A day in a zone off UTC midnight holds no whole UTC day: read from the deals, not hour by hour.
    const daily = periodPlan(boundsOf('2025-01-01', '2025-03-31', 'America/New_York', 'day'), NOW);
    expect(daily.window).toBeNull();
    expect(periodPlan(boundsOf('2025-01-01', '2025-03-31', 'UTC', 'day'), NOW).rolled).toEqual([
      { bucketHours: 24, span: { from: at('2025-01-01T00:00:00Z'), to: at('2025-04-01T00:00:00Z') } },
    ]);
  });

  it('reads nothing rolled for a range inside the current hour or in the future', () => {
    const future = periodPlan(boundsOf('2027-01-01', '2027-01-31', 'UTC', 'week'), NOW);
    expect(future.window).toBeNull();
    expect(future.base).toEqual([{ from: at('2027-01-01T00:00:00Z'), to: at('2027-02-01T00:00:00Z') }]);
  });

  it('merges touching spans', () => {
    const day = (n: number) => new Date(n * DAY_MS);
    expect(
      mergeSpans([
        { from: day(3), to: day(4) },
        { from: day(1), to: day(2) },
        { from: day(2), to: day(3) },
        { from: day(6), to: day(6) },
        { from: day(7), to: day(9) },
        { from: day(8), to: day(8.5) },
      ]),
    ).toEqual([
      { from: day(1), to: day(4) },
      { from: day(7), to: day(9) },
    ]);
  });
});
