import { describe, expect, it } from 'vitest';
import { sumCounts } from './activity.ts';
import { funnelSteps } from './funnel.ts';
import { wantsCsv } from './negotiate.ts';
import { percent, secondsToDays } from './rates.ts';

describe('rates', () => {
  it('gives percentages with one decimal, and null for nothing to divide by', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(3, 7)).toBe(42.9);
    expect(percent(5, 5)).toBe(100);
    expect(percent(0, 5)).toBe(0);
    expect(percent(0, 0)).toBeNull();
  });

  it('turns an average in seconds into days with one decimal', () => {
    expect(secondsToDays(86_400 * 10)).toBe(10);
    expect(secondsToDays(86_400 * 2.25)).toBe(2.3);
    expect(secondsToDays(3600)).toBe(0);
    expect(secondsToDays(null)).toBeNull();
    expect(secondsToDays(Number.NaN)).toBeNull();
  });

  it('rates each funnel step from the one before it', () => {
    expect(funnelSteps({ lead: 8, contact: 4, deal: 3, won: 1 })).toEqual({
      steps: [
        { step: 'lead', count: 8, conversionRate: null },
        { step: 'contact', count: 4, conversionRate: 50 },
        { step: 'deal', count: 3, conversionRate: 75 },
        { step: 'won', count: 1, conversionRate: 33.3 },
      ],
      overallConversionRate: 12.5,
    });
    expect(funnelSteps({ lead: 0, contact: 0, deal: 0, won: 0 }).steps.map((s) => s.conversionRate)).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('sums activity counts per column', () => {
    const rep = (n: number) => ({ tasksDone: n, calls: n, meetings: 0, notes: 1, emails: 2, total: 2 * n + 3 });
    expect(sumCounts([rep(1), rep(4)])).toEqual({
      tasksDone: 5,
      calls: 5,
      meetings: 0,
      notes: 2,
      emails: 4,
      total: 16,
    });
    expect(sumCounts([])).toEqual({ tasksDone: 0, calls: 0, meetings: 0, notes: 0, emails: 0, total: 0 });
  });
});

describe('wantsCsv', () => {
  it('follows format when given, whatever Accept says', () => {
    expect(wantsCsv('csv', 'application/json')).toBe(true);
    expect(wantsCsv('json', 'text/csv')).toBe(false);
  });

  it('reads Accept otherwise, JSON being the default', () => {
    expect(wantsCsv(undefined, undefined)).toBe(false);
    expect(wantsCsv(undefined, '*/*')).toBe(false);
    expect(wantsCsv(undefined, 'application/json')).toBe(false);
    expect(wantsCsv(undefined, 'text/csv')).toBe(true);
    expect(wantsCsv(undefined, 'Text/CSV; charset=utf-8')).toBe(true);
    expect(wantsCsv(undefined, 'text/csv, */*')).toBe(true);
    expect(wantsCsv(undefined, 'text/csv;q=0.5, */*')).toBe(false);
    expect(wantsCsv(undefined, 'text/csv, application/json')).toBe(false);
    expect(wantsCsv(undefined, 'application/json;q=0.5, text/csv')).toBe(true);
    expect(wantsCsv(undefined, 'text/csv;q=0')).toBe(false);
    expect(wantsCsv(undefined, 'text/html,application/xhtml+xml,*/*;q=0.8')).toBe(false);
  });
});
