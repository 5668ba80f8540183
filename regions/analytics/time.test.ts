import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, isDay, startOfMonth, startOfWeek } from './calendar.ts';
import { bucketBounds, periodBuckets } from './periods.ts';
import { reportRange } from './range.ts';
import { dayIn, endOfDayIn, isTimeZone, startOfDayIn } from './zoned.ts';

describe('calendar days', () => {
  it('tells real days from impossible or malformed ones', () => {
    for (const day of ['2026-01-01', '2024-02-29', '2026-12-31']) expect(isDay(day), day).toBe(true);
    for (const day of [
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-1-1',
      '26-01-01',
      '',
      '2026-01-01T00:00:00Z',
    ])
      expect(isDay(day), day).toBe(false);
  });

  it('adds days and months across month ends, leap days and years', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15');
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30);
    expect(daysBetween('2026-03-31', '2026-03-01')).toBe(-30);
  });

  it('finds the Monday of an ISO week and the first of a month', () => {
    expect(startOfWeek('2026-03-04')).toBe('2026-03-02'); // a Wednesday
    expect(startOfWeek('2026-03-02')).toBe('2026-03-02'); // a Monday
    expect(startOfWeek('2026-03-08')).toBe('2026-03-02'); // a Sunday belongs to the week before
    expect(startOfWeek('2026-01-01')).toBe('2025-12-29');
    expect(startOfMonth('2026-03-17')).toBe('2026-03-01');
  });
});

describe('time zones', () => {
  it('knows IANA zones and refuses anything else', () => {
    for (const zone of ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata']) expect(isTimeZone(zone)).toBe(true);
    for (const zone of ['', 'Mars/Olympus', 'Europe/Nowhere', 'x'.repeat(65)]) expect(isTimeZone(zone)).toBe(false);
  });

  it('starts a day at its local midnight, whatever the offset that day', () => {
    expect(startOfDayIn('UTC', '2026-03-01').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(startOfDayIn('Europe/Paris', '2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfDayIn('Europe/Paris', '2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(startOfDayIn('Asia/Kolkata', '2026-07-15').toISOString()).toBe('2026-07-14T18:30:00.000Z');
    expect(startOfDayIn('America/New_York', '2026-11-02').toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('handles the days clocks change: 23- and 25-hour days, and a midnight that never happened', () => {
    // Paris springs forward on 2026-03-29 and falls back on 2026-10-25.
    expect(startOfDayIn('Europe/Paris', '2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDayIn('Europe/Paris', '2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(
      endOfDayIn('Europe/Paris', '2026-03-29').getTime() - startOfDayIn('Europe/Paris', '2026-03-29').getTime(),
    ).toBe(23 * 3_600_000);
    expect(startOfDayIn('Europe/Paris', '2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDayIn('Europe/Paris', '2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // São Paulo's clocks went from 00:00 straight to 01:00 on 2018-11-04: that day began at 01:00 local (03:00Z).
    expect(startOfDayIn('America/Sao_Paulo', '2018-11-04').toISOString()).toBe('2018-11-04T03:00:00.000Z');
  });

  it('reads the local day of an instant', () => {
    expect(dayIn('Europe/Paris', new Date('2026-01-14T23:30:00Z'))).toBe('2026-01-15');
    expect(dayIn('America/Los_Angeles', new Date('2026-01-15T05:00:00Z'))).toBe('2026-01-14');
    expect(dayIn('UTC', new Date('2026-01-15T23:59:59.999Z'))).toBe('2026-01-15');
  });
});

describe('reportRange', () => {
  const now = new Date('2026-03-15T22:30:00Z');
  const refusal = (query: Record<string, string>) => {
    try {
      reportRange(query, now);
    } catch (error) {
      return error as { status: number; code: string; details: { path: string }[] };
    }
    throw new Error(`accepted ${JSON.stringify(query)}`);
  };

  it('defaults to the 30 days ending today, in the zone asked for', () => {
    expect(reportRange({}, now)).toEqual({
      from: '2026-02-14',
      to: '2026-03-15',
      timeZone: 'UTC',
      start: new Date('2026-02-14T00:00:00Z'),
      end: new Date('2026-03-16T00:00:00Z'),
    });
    // It is already the 16th in Tokyo.
    const tokyo = reportRange({ tz: 'Asia/Tokyo' }, now);
    expect([tokyo.from, tokyo.to]).toEqual(['2026-02-15', '2026-03-16']);
    expect(tokyo.start.toISOString()).toBe('2026-02-14T15:00:00.000Z');
    expect(reportRange({ to: '2026-01-31' }, now)).toMatchObject({ from: '2026-01-02', to: '2026-01-31' });
  });

  it('spans whole local days: the end is the start of the day after `to`', () => {
    const range = reportRange({ from: '2026-01-01', to: '2026-01-31', tz: 'America/New_York' }, now);
    expect(range.start.toISOString()).toBe('2026-01-01T05:00:00.000Z');
    expect(range.end.toISOString()).toBe('2026-02-01T05:00:00.000Z');
    expect(reportRange({ from: '2026-01-01', to: '2026-01-01' }, now).end.toISOString()).toBe(
      '2026-01-02T00:00:00.000Z',
    );
  });

  it('allows three years at most', () => {
    expect(reportRange({ from: '2024-01-01', to: '2026-12-31' }, now).from).toBe('2024-01-01');
    expect(refusal({ from: '2023-12-31', to: '2026-12-31' }).details).toEqual([
      { path: 'from', message: 'The range may span at most 3 years' },
    ]);
  });

  it('refuses bad days, reversed ranges and unknown zones with a 400 naming the parameter', () => {
    expect(refusal({ from: '2026-02-30' })).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(refusal({ from: '2026-02-30' }).details.map((d) => d.path)).toEqual(['from']);
    expect(refusal({ to: 'yesterday' }).details.map((d) => d.path)).toEqual(['to']);
    expect(refusal({ from: '2026-03-02', to: '2026-03-01' }).details.map((d) => d.path)).toEqual(['from']);
    expect(refusal({ from: '2026-04-01' }).details.map((d) => d.path)).toEqual(['from']); // after today
    expect(refusal({ tz: 'Mars/Olympus' }).details.map((d) => d.path)).toEqual(['tz']);
    expect(refusal({ from: '1899-12-31', to: '1900-01-31' }).details.map((d) => d.path)).toEqual(['from']);
    expect(refusal({ from: '9999-12-01', to: '9999-12-31' }).details.map((d) => d.path)).toEqual(['from', 'to']);
    expect(reportRange({ from: '9998-12-01', to: '9998-12-31' }, now).end.toISOString()).toBe(
      '9999-01-01T00:00:00.000Z',
    );
  });
});

describe('periodBuckets', () => {
  it('lists every day of the range', () => {
    expect(periodBuckets('2026-02-27', '2026-03-02', 'day').map((b) => b.period)).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });

  it('cuts weeks at Mondays and clips the first and last to the range', () => {
    expect(periodBuckets('2026-03-04', '2026-03-17', 'week')).toEqual([
      { period: '2026-03-02', start: '2026-03-04', end: '2026-03-08' },
      { period: '2026-03-09', start: '2026-03-09', end: '2026-03-15' },
      { period: '2026-03-16', start: '2026-03-16', end: '2026-03-17' },
    ]);
  });

  it('cuts months at their first day, across a year end', () => {
    expect(periodBuckets('2025-11-20', '2026-02-10', 'month')).toEqual([
      { period: '2025-11', start: '2025-11-20', end: '2025-11-30' },
      { period: '2025-12', start: '2025-12-01', end: '2025-12-31' },
      { period: '2026-01', start: '2026-01-01', end: '2026-01-31' },
      { period: '2026-02', start: '2026-02-01', end: '2026-02-10' },
    ]);
    expect(periodBuckets('2026-05-01', '2026-05-01', 'month')).toEqual([
      { period: '2026-05', start: '2026-05-01', end: '2026-05-01' },
    ]);
  });

  it('bounds the buckets at local midnights of the zone, through a clock change', () => {
    const range = reportRange({ from: '2026-03-23', to: '2026-04-05', tz: 'Europe/Paris' });
    const bounds = bucketBounds(range, periodBuckets(range.from, range.to, 'week'));
    expect(bounds.map((b) => b.toISOString())).toEqual([
      '2026-03-22T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-04-05T22:00:00.000Z',
    ]);
  });
});
