import { retentionCron, retentionIntervalMinutes } from '../../regions/retention/cutoff.ts';

export type SchedulerConfig = {
  /** How often due task reminders are sent (cron). */
  remindersCron: string;
  /** How often saved-view digests go out (cron). */
  digestsCron: string;
  /** How long before a task is due its owner is reminded. */
  reminderLeadMinutes: number;
  /** When retention runs (cron), or null when it is off (RETENTION_INTERVAL_MINUTES=0). */
  retentionCron: string | null;
  /** When each organization's table of search words is tidied (cron; regions/search/words.ts). */
  searchWordsCron: string;
};

function minutes(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10_080)
    throw new Error(`${name} must be whole minutes (0–10080), got ${value}`);
  return n;
}

/**
 * `SCHEDULER_REMINDERS_CRON` (every minute), `WATCH_DIGEST_CRON` (every 15 minutes), `TASK_REMINDER_MINUTES`
 * (15 before due), `RETENTION_INTERVAL_MINUTES` (60; 0 off) and `SEARCH_WORDS_CRON` (03:17 UTC daily). Read at start, so a bad value stops it at once.
 */
export function schedulerConfig(env: NodeJS.ProcessEnv): SchedulerConfig {
  return {
    remindersCron: env.SCHEDULER_REMINDERS_CRON?.trim() || '* * * * *',
    digestsCron: env.WATCH_DIGEST_CRON?.trim() || '*/15 * * * *',
    reminderLeadMinutes: minutes(env.TASK_REMINDER_MINUTES, 15, 'TASK_REMINDER_MINUTES'),
    retentionCron: retentionCron(retentionIntervalMinutes(env.RETENTION_INTERVAL_MINUTES)),
    searchWordsCron: env.SEARCH_WORDS_CRON?.trim() || '17 3 * * *',
  };
}
