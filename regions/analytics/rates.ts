/** Ratios as reports show them: percentages with one decimal, and null where there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

const secondsPerDay = 86_400;

/** An average duration in seconds as days with one decimal; null when there was nothing to average. */
export function secondsToDays(seconds: number | null | undefined): number | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  return Math.round((seconds / secondsPerDay) * 10) / 10;
}
