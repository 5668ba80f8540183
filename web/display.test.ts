import { describe, expect, it } from 'vitest';
import { defaultDisplay, displayOf, formatDay, formatMinute, formatWhen } from './display.ts';
import type { Me } from './route.ts';

const me = (user: Partial<NonNullable<Me['user']>> | null): Me => ({
  principal: user ? 'user' : 'api_key',
  user: user ? { id: 'u', email: 'a@b.example', name: 'A', role: 'admin', ...user } : null,
  organization: { id: 'o', name: 'O', slug: 'o', homeRegion: 'us' },
  role: 'admin',
  permissions: [],
});

describe('display preferences', () => {
  it("takes the user's zone and date format, and UTC/ISO for API keys, visitors and unknown zones", () => {
    expect(displayOf(me({ timeZone: 'Asia/Tokyo', dateFormat: 'DD.MM.YYYY' }))).toEqual({
      timeZone: 'Asia/Tokyo',
      dateFormat: 'DD.MM.YYYY',
    });
    expect(displayOf(me(null))).toEqual(defaultDisplay);
    expect(displayOf(null)).toEqual(defaultDisplay);
    expect(displayOf(me({ timeZone: 'Mars/Olympus_Mons' })).timeZone).toBe('UTC');
  });

  it('writes days and times in the zone, in the chosen format', () => {
    const late = '2026-12-01T23:30:00.000Z';
    const paris = { timeZone: 'Europe/Paris', dateFormat: 'DD/MM/YYYY' };
    expect(formatDay(late)).toBe('2026-12-01');
    expect(formatDay(late, paris)).toBe('02/12/2026');
    expect(formatDay(null, paris)).toBe('—');
    expect(formatWhen(late, { timeZone: 'America/New_York', dateFormat: 'MM/DD/YYYY' })).toBe('12/01/2026 18:30');
    expect(formatWhen(late, { timeZone: 'Asia/Kolkata', dateFormat: 'YYYY-MM-DD' })).toBe('2026-12-02 05:00');
    expect(formatWhen(null)).toBe('');
    expect(formatMinute(late)).toBe('2026-12-01 23:30 UTC');
    expect(formatMinute(late, paris)).toBe('02/12/2026 00:30 CET');
    // Summer time moves the clock and the zone's name with it.
    expect(formatMinute('2026-07-01T12:00:00.000Z', paris)).toBe('01/07/2026 14:00 CEST');
  });
});
