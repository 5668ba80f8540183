import { describe, expect, it } from 'vitest';
import { retentionCron, retentionCutoff, retentionIntervalMinutes } from './cutoff.ts';

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
  it('becomes the scheduler cron: minutes dividing an hour or hours dividing a day, 0 none', () => {
    expect(retentionCron(0)).toBeNull();
    expect(retentionCron(1)).toBe('* * * * *');
    expect(retentionCron(15)).toBe('*/15 * * * *');
    expect(retentionCron(60)).toBe('0 * * * *');
    expect(retentionCron(360)).toBe('0 */6 * * *');
    expect(retentionCron(1440)).toBe('0 0 * * *');
    expect(() => retentionCron(7)).toThrow();
    expect(() => retentionCron(90)).toThrow();
  });
});
