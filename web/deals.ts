/** Deal figures as the deal page shows them: plain functions, unit-tested beside this file. */

/** A decimal string amount in its currency; the API sends strings so no float ever rounds them on the way. */
export function formatMoney(amount: string, currency: string): string {
  const value = Number(amount);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(value);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** A stretch of time in its largest unit and the one below it, if not zero ("3 d 4 h", "1 d", "12 min"). */
export function formatSpan(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const top = units.findIndex(([, size]) => s >= size);
  if (top < 0) return '0 s';
  const [name, size] = units[top]!;
  const text = `${Math.floor(s / size)} ${name}`;
  const below = units[top + 1];
  if (!below) return text;
  const rest = Math.floor((s % size) / below[1]);
  return rest > 0 ? `${text} ${rest} ${below[0]}` : text;
}

/** How long a deal has sat in its current stage, from when it entered it. */
export const secondsSince = (iso: string, now = Date.now()) => Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
