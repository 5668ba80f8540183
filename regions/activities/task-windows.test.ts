import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../../openapi/schemas/activities.ts';
import { dayWindow, localDate, startOfLocalDate, taskWindow } from './task-windows.ts';

const t = (iso: string) => new Date(iso);
const hours = (w: { start: Date; end: Date }) => (w.end.getTime() - w.start.getTime()) / 3_600_000;

describe('isTimeZone', () => {
  it('accepts IANA zones, in any letter case, and UTC', () => {
    for (const zone of ['UTC', 'Europe/Paris', 'europe/paris', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata'])
      expect(isTimeZone(zone), zone).toBe(true);
  });

  it('refuses anything else', () => {
    for (const zone of ['', 'Mars/Olympus_Mons', 'Paris', 'Europe/Paris\u0000', 'x'.repeat(65), '../etc/passwd'])
      expect(isTimeZone(zone), JSON.stringify(zone)).toBe(false);
  });
});

describe('localDate', () => {
  it('names the calendar date an instant falls on in a zone', () => {
    const instant = t('2026-03-10T23:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-03-10');
    expect(localDate(instant, 'Europe/Paris')).toBe('2026-03-11');
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-03-10');
    expect(localDate(t('2026-03-10T18:29:59.999Z'), 'Asia/Kolkata')).toBe('2026-03-10');
    expect(localDate(t('2026-03-10T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-03-11');
  });
});

describe('startOfLocalDate', () => {
  it('is local midnight on ordinary days, whatever the offset', () => {
    expect(startOfLocalDate('2026-06-15', 'UTC')).toEqual(t('2026-06-15T00:00:00Z'));
    expect(startOfLocalDate('2026-06-15', 'Europe/Paris')).toEqual(t('2026-06-14T22:00:00Z'));
    expect(startOfLocalDate('2026-06-15', 'America/New_York')).toEqual(t('2026-06-15T04:00:00Z'));
    expect(startOfLocalDate('2026-06-15', 'Asia/Kolkata')).toEqual(t('2026-06-14T18:30:00Z'));
    expect(startOfLocalDate('2026-01-02', 'Pacific/Kiritimati')).toEqual(t('2026-01-01T10:00:00Z'));
    expect(startOfLocalDate('2026-01-02', 'Pacific/Pago_Pago')).toEqual(t('2026-01-02T11:00:00Z'));
  });

  it('is 01:00 on a day whose midnight a DST change skips (Chile)', () => {
    const start = startOfLocalDate('2026-09-06', 'America/Santiago');
    expect(start).toEqual(t('2026-09-06T04:00:00Z'));
    expect(localDate(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05');
  });

  it('is the start of the next day for a date the zone skipped altogether (Samoa, 30 December 2011)', () => {
    expect(startOfLocalDate('2011-12-30', 'Pacific/Apia')).toEqual(startOfLocalDate('2011-12-31', 'Pacific/Apia'));
  });
});

describe('dayWindow', () => {
  it('is the 24 hours of the day that contains now', () => {
    const now = t('2026-06-15T13:45:00Z');
    expect(dayWindow(now, 'UTC')).toEqual({ start: t('2026-06-15T00:00:00Z'), end: t('2026-06-16T00:00:00Z') });
    // 13:45 UTC is 22:45 on the 15th in Tokyo, whose 15th began at 15:00 UTC on the 14th.
    expect(dayWindow(now, 'Asia/Tokyo')).toEqual({
      start: t('2026-06-14T15:00:00Z'),
      end: t('2026-06-15T15:00:00Z'),
    });
    expect(dayWindow(t('2026-06-15T15:00:00Z'), 'Asia/Tokyo').start).toEqual(t('2026-06-15T15:00:00Z'));
    expect(dayWindow(t('2026-06-15T14:59:59.999Z'), 'Asia/Tokyo').start).toEqual(t('2026-06-14T15:00:00Z'));
  });

  it('includes its first instant and excludes the next day’s', () => {
    const w = dayWindow(t('2026-06-15T00:00:00Z'), 'UTC');
    expect(w.start).toEqual(t('2026-06-15T00:00:00Z'));
    expect(dayWindow(w.end, 'UTC').start).toEqual(w.end);
  });

  it('is 23 hours when clocks go forward and 25 when they go back', () => {
    expect(dayWindow(t('2026-03-29T12:00:00Z'), 'Europe/Paris')).toEqual({
      start: t('2026-03-28T23:00:00Z'),
      end: t('2026-03-29T22:00:00Z'),
    });
    expect(hours(dayWindow(t('2026-03-29T12:00:00Z'), 'Europe/Paris'))).toBe(23);
    expect(hours(dayWindow(t('2026-10-25T12:00:00Z'), 'Europe/Paris'))).toBe(25);
    expect(hours(dayWindow(t('2026-03-08T17:00:00Z'), 'America/New_York'))).toBe(23);
    expect(hours(dayWindow(t('2026-09-06T17:00:00Z'), 'America/Santiago'))).toBe(23);
  });

  it('runs to the start of the day after a skipped date', () => {
    expect(dayWindow(t('2011-12-29T12:00:00Z'), 'Pacific/Apia')).toEqual({
      start: t('2011-12-29T10:00:00Z'),
      end: t('2011-12-30T10:00:00Z'),
    });
  });
});

describe('taskWindow', () => {
  const now = t('2026-06-15T08:30:00Z');

  it('open: every task not done, due or not', () => {
    expect(taskWindow('open', now, 'UTC')).toEqual({ openOnly: true, dueFrom: null, dueBefore: null });
  });

  it("today: every task due within the zone's day, done or not", () => {
    expect(taskWindow('today', now, 'America/Los_Angeles')).toEqual({
      openOnly: false,
      dueFrom: t('2026-06-15T07:00:00Z'),
      dueBefore: t('2026-06-16T07:00:00Z'),
    });
    // At 08:30 UTC it is still the 14th in Honolulu.
    expect(taskWindow('today', now, 'Pacific/Honolulu').dueFrom).toEqual(t('2026-06-14T10:00:00Z'));
  });

  it('overdue: not done and due before now, whatever the zone', () => {
    expect(taskWindow('overdue', now, 'Asia/Tokyo')).toEqual({ openOnly: true, dueFrom: null, dueBefore: now });
    expect(taskWindow('overdue', now, 'UTC')).toEqual(taskWindow('overdue', now, 'Asia/Tokyo'));
  });
});
