import { addDays, isDay } from '../regions/analytics/calendar.ts';
import { dayIn, isTimeZone } from '../regions/analytics/zoned.ts';

/** The reports page's range picker: a preset, or custom days. */
export const rangePresets = [
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: 'quarter', label: 'This quarter' },
  { value: 'year', label: 'This year' },
  { value: 'custom', label: 'Custom' },
] as const;
export type RangePreset = (typeof rangePresets)[number]['value'];

export type ChosenRange = {
  preset: RangePreset;
  from: string;
  to: string;
  tz: string;
  period: 'day' | 'week' | 'month';
};

const lastDays = (today: string, days: number) => ({ from: addDays(today, -(days - 1)), to: today });

/**
 * The days a report covers, read from the page's query: a preset counted back from today in the time zone, or
 * custom `from`/`to` (given days with no preset mean custom). Anything unusable falls back to the last 30 days in
 * UTC rather than failing the page; the API checks the days again and its message shows if it refuses them.
 */
export function chooseRange(query: URLSearchParams, now = new Date()): ChosenRange {
  const asked = query.get('tz') ?? '';
  const tz = asked && isTimeZone(asked) ? asked : 'UTC';
  const today = dayIn(tz, now);
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const named = rangePresets.find((p) => p.value === query.get('range'))?.value;
  const preset: RangePreset = named ?? (isDay(from) || isDay(to) ? 'custom' : '30d');
  let days: { from: string; to: string };
  switch (preset) {
    case '7d':
      days = lastDays(today, 7);
      break;
    case '90d':
      days = lastDays(today, 90);
      break;
    case 'quarter': {
      const month = Number(today.slice(5, 7));
      const first = String(month - ((month - 1) % 3)).padStart(2, '0');
      days = { from: `${today.slice(0, 4)}-${first}-01`, to: today };
      break;
    }
    case 'year':
      days = { from: `${today.slice(0, 4)}-01-01`, to: today };
      break;
    case 'custom':
      days = { from: isDay(from) ? from : lastDays(isDay(to) ? to : today, 30).from, to: isDay(to) ? to : today };
      break;
    default:
      days = lastDays(today, 30);
  }
  return { preset, ...days, tz, period: periodFor(days.from, days.to) };
}

/** Revenue per day up to a month, per week up to half a year, per month beyond: a readable number of bars. */
export function periodFor(from: string, to: string): 'day' | 'week' | 'month' {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  return days <= 31 ? 'day' : days <= 183 ? 'week' : 'month';
}
