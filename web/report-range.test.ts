import { describe, expect, it } from 'vitest';
import { chooseRange, periodFor } from './report-range.ts';

const at = new Date('2026-12-05T23:30:00Z');
const choose = (query: string) => chooseRange(new URLSearchParams(query), at);

describe('chooseRange', () => {
  it('counts presets back from today in the time zone asked for', () => {
    expect(choose('range=7d')).toMatchObject({ preset: '7d', from: '2026-11-29', to: '2026-12-05', tz: 'UTC' });
    // Already Sunday in Tokyo.
    expect(choose('range=7d&tz=Asia/Tokyo')).toMatchObject({ from: '2026-11-30', to: '2026-12-06', tz: 'Asia/Tokyo' });
    expect(choose('range=90d')).toMatchObject({ from: '2026-09-07', to: '2026-12-05', period: 'week' });
    expect(choose('range=quarter')).toMatchObject({ from: '2026-10-01', to: '2026-12-05' });
    expect(choose('range=year')).toMatchObject({ from: '2026-01-01', to: '2026-12-05', period: 'month' });
  });

  it('defaults to the last 30 days in UTC, and takes given days as a custom range', () => {
    expect(choose('')).toMatchObject({ preset: '30d', from: '2026-11-06', to: '2026-12-05', period: 'day' });
    expect(choose('from=2026-02-01&to=2026-02-28')).toMatchObject({
      preset: 'custom',
      from: '2026-02-01',
      to: '2026-02-28',
    });
    expect(choose('range=custom&to=2026-03-31')).toMatchObject({ from: '2026-03-02', to: '2026-03-31' });
  });

  it('falls back on anything it cannot use', () => {
    expect(choose('range=forever&tz=Mars/Olympus&from=yesterday')).toMatchObject({ preset: '30d', tz: 'UTC' });
  });
});

describe('periodFor', () => {
  it('keeps the number of periods readable', () => {
    expect(periodFor('2026-01-01', '2026-01-31')).toBe('day');
    expect(periodFor('2026-01-01', '2026-02-01')).toBe('week');
    expect(periodFor('2026-01-01', '2026-12-31')).toBe('month');
  });
});
