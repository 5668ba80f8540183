import type { taskViews } from '../../openapi/schemas/activities.ts';

export type TaskView = (typeof taskViews)[number];

/** What a task view selects: open or done-or-not, and a half-open due-time window [dueFrom, dueBefore). */
export type TaskWindow = { openOnly: boolean; dueFrom: Date | null; dueBefore: Date | null };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const hour = 3_600_000;

/**
 * The first instant of a calendar date in a time zone. Usually local midnight; on a day whose midnight a DST change
 * skips, whenever the day begins instead. Found by bisection, since local dates only move forward: every offset
 * in use lies within ±15 h of UTC, so the day starts within that distance of the date's UTC midnight.
 */
export function startOfLocalDate(date: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let before = utcMidnight - 15 * hour; // still on an earlier date there
  let atOrAfter = utcMidnight + 15 * hour; // already on this date (or later)
  while (atOrAfter - before > 1) {
    const middle = Math.floor((before + atOrAfter) / 2);
    if (localDate(new Date(middle), timeZone) >= date) atOrAfter = middle;
    else before = middle;
  }
  return new Date(atOrAfter);
}

/** The day that contains `now` in the time zone, as [start, end): 23, 24 or 25 hours long around DST changes. */
export function dayWindow(now: Date, timeZone: string): { start: Date; end: Date } {
  const today = localDate(now, timeZone);
  const start = startOfLocalDate(today, timeZone);
  // Calendar arithmetic, not clock arithmetic: the next date, whose first instant ends today.
  const next = new Date(Date.parse(`${today}T00:00:00Z`) + 24 * hour).toISOString().slice(0, 10);
  return { start, end: startOfLocalDate(next, timeZone) };
}

/** The rules of the three "my tasks" views. */
export function taskWindow(view: TaskView, now: Date, timeZone: string): TaskWindow {
  switch (view) {
    case 'open':
      return { openOnly: true, dueFrom: null, dueBefore: null };
    case 'today': {
      const { start, end } = dayWindow(now, timeZone);
      return { openOnly: false, dueFrom: start, dueBefore: end };
    }
    case 'overdue':
      return { openOnly: true, dueFrom: null, dueBefore: now };
  }
}
