import { describe, expect, it } from 'vitest';
import { retentionCutoff, retentionIntervalMinutes } from './cutoff.ts';

describe('retention cutoff', () => {
  it('is now minus the retention period in days', () => {
    expect(retentionCutoff(new Date('2026-01-31T00:00:00Z'), 30).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
  it('reads the interval from the environment, 0 being off and bad values refused', () => {
    expect(retentionIntervalMinutes(undefined)).toBe(60);
    expect(retentionIntervalMinutes('')).toBe(60);
    expect(retentionIntervalMinutes('0')).toBe(0);
    expect(retentionIntervalMinutes('15')).toBe(15);
    expect(() => retentionIntervalMinutes('-1')).toThrow();
    expect(() => retentionIntervalMinutes('soon')).toThrow();
  });
});
