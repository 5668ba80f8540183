/** UTC hours and days, the roll-ups' buckets, as instants (ms arithmetic: UTC has no daylight saving). */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const floorTo = (at: Date, ms: number): Date => new Date(Math.floor(at.getTime() / ms) * ms);
export const ceilTo = (at: Date, ms: number): Date => new Date(Math.ceil(at.getTime() / ms) * ms);

/**
 * UTC calendar months, every roll-up's third size of bucket: a three-year report reads 36 month rows per group
 * (owner and source, stage and currency, …) instead of 1,096 day rows. Months differ in length, so their rows are marked by
 * this `bucket_hours` (31 days' worth) rather than measured by it.
 */
export const MONTH_BUCKET_HOURS = 744;

export const floorToMonth = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
export const addMonths = (month: Date, n: number): Date =>
  new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + n, 1));
export function ceilToMonth(at: Date): Date {
  const month = floorToMonth(at);
  return month.getTime() === at.getTime() ? month : addMonths(month, 1);
}

/**
 * The whole UTC hours of [start, end) the roll-ups may be read for: the hour being written at `now` (and any later
 * one) is left to the base tables, where new records and their marks land, so that under a steady write load they
 * do not keep the rest of a range off the roll-ups. Empty when rs >= re.
 */
export function rollupHours(start: Date, end: Date, now: Date): { rs: Date; re: Date } {
  return { rs: ceilTo(start, HOUR_MS), re: floorTo(new Date(Math.min(end.getTime(), now.getTime())), HOUR_MS) };
}

/**
 * An hour-aligned window [rs, re) cut as the roll-ups are read: hours [rs, ds), UTC days [ds, ms), UTC months
 * [ms, me), days [me, de), hours [de, re). A part with nothing in it is empty (its bounds equal).
 */
export function splitWindow(rs: Date, re: Date) {
  let ds = ceilTo(rs, DAY_MS);
  let de = floorTo(re, DAY_MS);
  if (ds >= de) ds = de = re;
  let ms = ceilToMonth(ds);
  let me = floorToMonth(de);
  if (ms >= me) ms = me = de;
  return { rs, ds, ms, me, de, re };
}

/** The UTC months that [from, to) touches, in order. */
export function monthsBetween(from: Date, to: Date): Date[] {
  const months: Date[] = [];
  if (from >= to) return months;
  for (let m = floorToMonth(from); m < to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The distinct UTC months the days fall in, in order. */
export const monthsOf = (days: readonly Date[]): Date[] =>
  [...new Set(days.map((d) => floorToMonth(d).getTime()))].sort((a, b) => a - b).map((ms) => new Date(ms));

/** The distinct hours the instants fall in, in order. */
export function hoursOf(instants: Iterable<Date>): Date[] {
  const hours = new Set<number>();
  for (const at of instants) hours.add(floorTo(at, HOUR_MS).getTime());
  return [...hours].sort((a, b) => a - b).map((ms) => new Date(ms));
}

/** The distinct UTC days the hours fall in, in order. */
export const daysOf = (hours: readonly Date[]): Date[] =>
  [...new Set(hours.map((h) => floorTo(h, DAY_MS).getTime()))].sort((a, b) => a - b).map((ms) => new Date(ms));

/**
 * The smallest UUIDv7 of an instant: its first 48 bits are the Unix time in milliseconds and the rest is zero, so
 * every id made at that millisecond or later compares greater (PostgreSQL orders uuids bytewise).
 */
export function uuidFloor(at: Date): string {
  const hex = Math.max(0, Math.floor(at.getTime())).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}
