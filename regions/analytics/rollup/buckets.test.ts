import { describe, expect, it } from 'vitest';
import { addMonths, ceilToMonth, floorToMonth, monthsBetween, monthsOf } from './buckets.ts';

const at = (iso: string) => new Date(iso);
const isoOf = (dates: readonly Date[]) => dates.map((d) => d.toISOString());

describe('UTC month buckets', () => {
  it('floors and ceils to UTC month starts, whatever the month length', () => {
    expect(floorToMonth(at('2024-02-29T23:59:59.999Z')).toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(ceilToMonth(at('2024-02-29T23:59:59.999Z')).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(ceilToMonth(at('2024-03-01T00:00:00Z')).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(ceilToMonth(at('2024-12-31T18:30:00Z')).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(addMonths(at('2024-12-01T00:00:00Z'), 2).toISOString()).toBe('2025-02-01T00:00:00.000Z');
  });

  it('lists the months a range of days touches, and the months of a list of days', () => {
    expect(isoOf(monthsBetween(at('2025-01-20T00:00:00Z'), at('2025-03-01T00:00:00Z')))).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
    ]);
    expect(isoOf(monthsBetween(at('2025-01-20T00:00:00Z'), at('2025-03-02T00:00:00Z')))).toHaveLength(3);
    expect(monthsBetween(at('2025-01-20T00:00:00Z'), at('2025-01-20T00:00:00Z'))).toEqual([]);
    expect(
      isoOf(monthsOf([at('2025-03-04T00:00:00Z'), at('2025-01-31T00:00:00Z'), at('2025-03-31T00:00:00Z')])),
    ).toEqual(['2025-01-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z']);
  });
});
