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
