import { stringify } from 'csv-stringify/sync';

/**
 * A cell that a spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return) gets a
 * leading apostrophe, as OWASP advises against CSV injection: "=HYPERLINK(…)" typed into a lead's name must open
 * as text in Excel, not as a live link. Spreadsheets hide the apostrophe.
 */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(';') : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** CSV lines (RFC 4180 quoting, `\n` endings) of rows of cells, every cell made safe first. */
export const csvLines = (rows: readonly (readonly unknown[])[]): string =>
  stringify(rows.map((row) => row.map(safeCell)));
