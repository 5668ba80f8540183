/**
 * Whether a report request asks for CSV. `format` decides when given; otherwise the Accept header does: CSV when
 * the client rates text/csv above JSON, or names text/csv and leaves JSON to a wildcard at most as high
 * (`text/csv, *\/*`). JSON wins ties it names explicitly and is the default (`*\/*`, no header).
 */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  if (!accept) return false;
  const q = { csv: 0, json: 0, any: 0 };
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const quality = qualityOf(params);
    if (type === 'text/csv' || type === 'text/*') q.csv = Math.max(q.csv, quality);
    else if (type === 'application/json' || type === 'application/*') q.json = Math.max(q.json, quality);
    else if (type === '*/*') q.any = Math.max(q.any, quality);
  }
  if (q.csv === 0) return false;
  return q.json > 0 ? q.csv > q.json : q.csv >= q.any;
}

function qualityOf(params: readonly string[]): number {
  const q = params.find((p) => p.startsWith('q='));
  if (!q) return 1;
  const value = Number(q.slice(2));
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 0;
}
