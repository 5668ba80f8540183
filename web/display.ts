import type { Me } from './route.ts';
import { formatDate, utcToWallTime } from './zoned-time.ts';

/**
 * How the signed-in user reads dates and times: their profile's time zone and date format (Settings › Profile).
 * Serialisable, so pages hand it to islands and a hydrated island writes dates exactly as the server did.
 */
export type Display = { timeZone: string; dateFormat: string };

export const defaultDisplay: Display = { timeZone: 'UTC', dateFormat: 'YYYY-MM-DD' };

const usableZone = (zone: string | undefined): string | null => {
  if (!zone) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
};

/** The user's display preferences; an API key, a visitor or a zone this runtime does not know falls back to UTC. */
export function displayOf(me: Me | null): Display {
  const user = me?.user;
  return {
    timeZone: usableZone(user?.timeZone) ?? defaultDisplay.timeZone,
    dateFormat: user?.dateFormat ?? defaultDisplay.dateFormat,
  };
}

/** A calendar day in the user's zone and format; "—" when there is none. */
export function formatDay(iso: string | null | undefined, display: Display = defaultDisplay): string {
  if (!iso) return '—';
  return formatDate(new Date(iso), display.timeZone, display.dateFormat);
}

/** A day and a 24-hour time in the user's zone, without naming the zone (for pages that say it once). */
export function formatWhen(iso: string | null | undefined, display: Display = defaultDisplay): string {
  if (!iso) return '';
  const instant = new Date(iso);
  return `${formatDate(instant, display.timeZone, display.dateFormat)} ${utcToWallTime(instant, display.timeZone).slice(11, 16)}`;
}

/** The zone's short name at an instant ("UTC", "CET", "GMT+9"), as Intl writes it in English. */
export function zoneName(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(iso));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** A day and time that names its zone: for a single instant shown on its own ("2026-12-01 09:30 CET"). */
export function formatMinute(iso: string | null | undefined, display: Display = defaultDisplay): string {
  if (!iso) return '';
  return `${formatWhen(iso, display)} ${zoneName(iso, display.timeZone)}`;
}
