/**
 * Calendar days as `YYYY-MM-DD` strings. The arithmetic runs on UTC midnights, where every day has 24 hours, so
 * no time zone's daylight-saving change can shift a date; time zones come in only when a day becomes an instant.
 */
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const msPerDay = 86_400_000;

/** Midnight UTC of a day, or null if the string is not a real calendar day (2026-02-30 is not). */
export function parseDay(day: string): number | null {
  const match = dayPattern.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = Date.UTC(year, month - 1, date);
  const back = new Date(at);
  // Date.UTC rolls 2026-02-30 over to March 2nd; a real day comes back unchanged. Years below 100 are shifted
  // by Date.UTC too, and a report has no business with them.
  if (year < 1000 || back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1) return null;
  return at;
}

export const isDay = (day: string): boolean => parseDay(day) !== null;

function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function utc(day: string): number {
  const at = parseDay(day);
  if (at === null) throw new RangeError(`not a calendar day: ${day}`);
  return at;
}

export const addDays = (day: string, days: number): string => dayOf(utc(day) + days * msPerDay);

/** The same day of the month `months` later, or the month's last day when it has no such day (Jan 31 → Feb 28). */
export function addMonths(day: string, months: number): string {
  const d = new Date(utc(day));
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return dayOf(target.getTime());
}

export const addYears = (day: string, years: number): string => addMonths(day, years * 12);

/** Days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((utc(to) - utc(from)) / msPerDay);

/** The Monday of the ISO week the day falls in. */
export function startOfWeek(day: string): string {
  const weekday = new Date(utc(day)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

export const startOfMonth = (day: string): string => `${day.slice(0, 7)}-01`;
