import { describe, expect, it } from 'vitest';
import { nearEnd, visibleWindow } from './virtual.ts';

describe('visibleWindow', () => {
  it('shows the rows in view plus the overscan on each side', () => {
    expect(visibleWindow(0, 440, 44, 100_000, 10)).toEqual({ start: 0, end: 21 });
    expect(visibleWindow(44 * 1000, 440, 44, 100_000, 10)).toEqual({ start: 990, end: 1021 });
    expect(visibleWindow(44 * 1000 + 20, 440, 44, 100_000, 10)).toEqual({ start: 990, end: 1021 });
  });

  it('stays bounded whatever the list length, and within it', () => {
    for (const total of [1, 50, 100_000, 1_000_000]) {
      const { start, end } = visibleWindow(44 * (total - 5), 600, 44, total, 10);
      expect(end - start).toBeLessThanOrEqual(Math.ceil(600 / 44) + 1 + 20);
      expect(end).toBe(total);
      expect(start).toBeGreaterThanOrEqual(0);
    }
  });

  it('handles an empty list, a scroll past the end and odd measurements', () => {
    expect(visibleWindow(0, 600, 44, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleWindow(1e9, 600, 44, 30)).toEqual({ start: 30, end: 30 });
    expect(visibleWindow(-50, 0, 44, 30, 2)).toEqual({ start: 0, end: 3 });
    expect(visibleWindow(0, 600, 0, 30)).toEqual({ start: 0, end: 0 });
  });

  it('asks for the next page only near the end of what is loaded', () => {
    expect(nearEnd(60, 100)).toBe(true);
    expect(nearEnd(59, 100)).toBe(false);
    expect(nearEnd(100, 100)).toBe(true);
  });
});
