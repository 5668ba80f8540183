export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 36_500;
const DAY_MS = 86_400_000;

/** The instant before which data has outlived the organization's retention period. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/** Minutes between retention runs from the environment: a non-negative number, 0 switching the job off. */
export function retentionIntervalMinutes(value: string | undefined, fallback = 60): number {
  if (value === undefined || value.trim() === '') return fallback;
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`RETENTION_INTERVAL_MINUTES must be ≥ 0, got ${value}`);
  return minutes;
}

/**
 * The retention interval as the scheduler's cron expression (pg-boss runs it once per occurrence however many
 * processes hold the schedule): minutes that divide an hour, or whole hours that divide a day; null when off.
 */
export function retentionCron(minutes: number): string | null {
  if (minutes === 0) return null;
  if (Number.isInteger(minutes) && minutes < 60 && 60 % minutes === 0) {
    return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  }
  const hours = minutes / 60;
  if (Number.isInteger(hours) && hours <= 24 && 24 % hours === 0) {
    return hours === 1 ? '0 * * * *' : hours === 24 ? '0 0 * * *' : `0 */${hours} * * *`;
  }
  throw new Error(`RETENTION_INTERVAL_MINUTES must divide an hour or be whole hours dividing a day, got ${minutes}`);
}
