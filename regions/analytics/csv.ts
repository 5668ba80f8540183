/**
 * CSV as RFC 4180 has it (CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled), made
 * safe to open in a spreadsheet: a text cell that starts with = + - @ (or a tab or carriage return, which some
 * spreadsheets strip first) is prefixed with a single quote, so a lead source or rep name like `=HYPERLINK(…)`
 * stays text instead of running as a formula.
 */

/** A number the report computed itself (an amount is a decimal string, to keep its cents exact): never a formula. */
export type CsvNumber = { readonly number: string };
export type CsvCell = string | number | CsvNumber | null | undefined;

export const decimal = (value: string): CsvNumber => ({ number: value });

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

export function csvCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = typeof cell === 'string' ? (formulaStart.test(cell) ? `'${cell}` : cell) : cell.number;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * The file as a stream: the header line, then one line per row, encoded as the reader pulls, so a large
 * report is never one string in memory.
 */
export function csvStream(header: readonly string[], rows: Iterable<readonly CsvCell[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const lines = (function* () {
    yield csvLine(header);
    for (const row of rows) yield csvLine(row);
  })();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      // A few dozen lines per chunk: fewer, larger writes than one per line.
      let chunk = '';
      for (let i = 0; i < 64; i++) {
        const next = lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      // The client left mid-download: let the rows' generator run its cleanup and drop what it holds.
      lines.return(undefined);
    },
  });
}
