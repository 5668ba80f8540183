import { describe, expect, it } from 'vitest';
import { WorkflowTriggerSchema } from '../../openapi/schemas/workflows.ts';
import { cronProblem, nextFire } from './schedule.ts';

describe('schedule triggers', () => {
  it('fire at the cron time in the workflow’s time zone, daylight saving included', () => {
    const weekdays = { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' };
    // Friday 2026-12-04 10:00 in Berlin (09:00 UTC): the next 09:00 on a weekday is Monday's, 08:00 UTC in winter.
    expect(nextFire(weekdays, new Date('2026-12-04T09:00:00Z')).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    // In summer Berlin is UTC+2.
    expect(nextFire(weekdays, new Date('2026-07-01T00:00:00Z')).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(nextFire({ cron: '30 18 * * *', timezone: 'UTC' }, new Date('2026-12-05T18:30:00Z')).toISOString()).toBe(
      '2026-12-06T18:30:00.000Z',
    );
  });

  it('refuses impossible expressions and unknown zones', () => {
    expect(cronProblem('0 9 * * 1-5', 'Europe/Berlin')).toBeNull();
    expect(cronProblem('61 9 * * *', 'UTC')).toMatch(/range/);
    const zone = WorkflowTriggerSchema.safeParse({
      type: 'schedule',
      cron: '0 9 * * *',
      timezone: 'Mars/Olympus',
      entity: 'lead',
    });
    expect(zone.success).toBe(false);
    const sixFields = WorkflowTriggerSchema.safeParse({ type: 'schedule', cron: '0 0 9 * * *', entity: 'lead' });
    expect(sixFields.success).toBe(false);
    const defaults = WorkflowTriggerSchema.parse({ type: 'schedule', cron: '0 9 * * *', entity: 'deal' });
    expect(defaults).toMatchObject({ timezone: 'UTC' });
    // No cap unless one is asked for: a firing runs for every matching record.
    expect(defaults.type === 'schedule' && defaults.limit).toBeUndefined();
  });
});
