import { describe, expect, it } from 'vitest';
import { formatDate, utcToWallTime, wallTimeToUtc, zoneOffsetMinutes } from './zoned-time.ts';

describe('zoned time', () => {
  it('knows offsets on both sides of a daylight-saving change', () => {
    expect(zoneOffsetMinutes(new Date('2026-01-15T12:00:00Z'), 'Europe/Paris')).toBe(60);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'Europe/Paris')).toBe(120);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('turns a wall-clock time in a zone into the instant, and back', () => {
    expect(wallTimeToUtc('2026-07-15T09:00', 'Europe/Paris')?.toISOString()).toBe('2026-07-15T07:00:00.000Z');
    expect(wallTimeToUtc('2026-01-15T09:00', 'America/New_York')?.toISOString()).toBe('2026-01-15T14:00:00.000Z');
    // The morning after the spring change in Paris (29 March 2026): already on summer time.
    expect(wallTimeToUtc('2026-03-29T09:00', 'Europe/Paris')?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(utcToWallTime(new Date('2026-07-15T07:00:00Z'), 'Europe/Paris')).toBe('2026-07-15T09:00');
    expect(wallTimeToUtc('tomorrow', 'UTC')).toBeNull();
  });

  it('writes dates in the chosen pattern, on the day it is in the zone', () => {
    const late = new Date('2026-12-31T23:30:00Z');
    expect(formatDate(late, 'UTC', 'YYYY-MM-DD')).toBe('2026-12-31');
    expect(formatDate(late, 'Asia/Tokyo', 'DD/MM/YYYY')).toBe('01/01/2027');
    expect(formatDate(late, 'UTC', 'MM/DD/YYYY')).toBe('12/31/2026');
    expect(formatDate(late, 'UTC', 'DD.MM.YYYY')).toBe('31.12.2026');
  });
});
