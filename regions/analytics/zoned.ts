import { addDays } from './calendar.ts';

/** Time-zone arithmetic with Intl alone, so it does not depend on the database having time-zone data. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the runtime knows this IANA time zone (Intl accepts any letter case, `europe/paris` included). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in the zone at an instant, read back as if it were UTC (ms). */
function wallClock(timeZone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall + (at - Math.floor(at / 1000) * 1000);
}

/** The calendar day (`YYYY-MM-DD`) an instant falls on in the zone. */
export const dayIn = (timeZone: string, at: Date): string =>
  new Date(wallClock(timeZone, at.getTime())).toISOString().slice(0, 10);

/**
 * The first instant of a calendar day in the zone: its midnight, or, where a daylight-saving change skips
 * midnight (as São Paulo's did), the first moment that exists on that day. The zone's offset a day before and a
 * day after midnight are the only two it can have at midnight; the earliest reading that lands on the day wins.
 */
export function startOfDayIn(timeZone: string, day: string): Date {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const candidates = [midnight - 86_400_000, midnight + 86_400_000].map(
    (probe) => midnight - (wallClock(timeZone, probe) - probe),
  );
  const onTheDay = candidates.filter((at) => dayIn(timeZone, new Date(at)) === day);
  if (onTheDay.length > 0) return new Date(Math.min(...onTheDay));
  // The zone skipped the whole day (Samoa's 2011-12-30): it begins and ends where the next day begins.
  return new Date(Math.max(...candidates));
}

/** The instant a range of days ends (exclusive): the start of the day after the last one. */
export const endOfDayIn = (timeZone: string, day: string): Date => startOfDayIn(timeZone, addDays(day, 1));
