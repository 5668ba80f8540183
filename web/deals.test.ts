import { describe, expect, it } from 'vitest';
import { formatMoney, formatSpan, secondsSince } from './deals.ts';

describe('deal figures', () => {
  it('formats amounts in their currency, and an unknown code plainly', () => {
    expect(formatMoney('25000.00', 'EUR')).toBe('€25,000.00');
    expect(formatMoney('12.5', 'USD')).toBe('$12.50');
    expect(formatMoney('3', 'XXXX')).toBe('3 XXXX');
  });

  it('shows a stretch of time in its two largest units', () => {
    expect(formatSpan(null)).toBe('—');
    expect(formatSpan(0)).toBe('0 s');
    expect(formatSpan(42)).toBe('42 s');
    expect(formatSpan(720)).toBe('12 min');
    expect(formatSpan(3 * 86_400 + 4 * 3600 + 5 * 60)).toBe('3 d 4 h');
    expect(formatSpan(86_400 + 30)).toBe('1 d');
    expect(formatSpan(3600 + 59)).toBe('1 h');
  });

  it('counts the seconds since a moment, never negative', () => {
    const now = Date.parse('2026-12-01T12:00:00.000Z');
    expect(secondsSince('2026-12-01T11:00:00.000Z', now)).toBe(3600);
    expect(secondsSince('2026-12-01T13:00:00.000Z', now)).toBe(0);
  });
});
