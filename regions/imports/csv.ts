import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { CsvError, parse } from 'csv-parse';
import { badRequest } from '../../openapi/errors.ts';

/** One data row: the file line it starts on (the header is line 1) and its cells. */
export type CsvRow = { line: number; cells: string[] };

const MAX_COLUMNS = 500;
const MAX_RECORD_BYTES = 1024 * 1024;

const newlines = (cells: readonly string[]) => cells.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);

const CR = 0x0d;
const LF = 0x0a;

/**
 * Turns CRLF and lone CR line endings into LF, byte by byte (neither byte occurs inside a UTF-8 sequence). Files
 * edited on several systems mix them, and the parser fixes on the first it meets (and miscounts lines inside
 * quoted cells when told to accept all three). A CR at the end of a chunk waits for the next one.
 */
function lineFeeds(): Transform {
  let pendingCr = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out = Buffer.allocUnsafe(chunk.length + 1);
      let n = 0;
      let i = 0;
      if (pendingCr) {
        out[n++] = LF;
        if (chunk[0] === LF) i = 1;
        pendingCr = false;
      }
      for (; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte !== CR) out[n++] = byte;
        else if (i === chunk.length - 1) pendingCr = true;
        else {
          out[n++] = LF;
          if (chunk[i + 1] === LF) i++;
        }
      }
      done(null, out.subarray(0, n));
    },
    flush(done) {
      done(null, pendingCr ? Buffer.from([LF]) : null);
    },
  });
}

/**
 * The records of a CSV stream, parsed as they arrive (a 1 GB file costs no more memory than a 1 KB one): a BOM is
 * dropped, blank lines skipped, short and long rows kept as they are (the mapping reads cells by position).
 * The first record is the header row.
 */
export async function* csvRecords(stream: ReadableStream<Uint8Array>): AsyncGenerator<CsvRow> {
  const source = Readable.fromWeb(stream as NodeReadableStream<Uint8Array>);
  const parser = source.pipe(lineFeeds()).pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      // Spreadsheets write `say "hi"` unquoted; taking such quotes literally beats refusing the file.
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  // A source error (storage failing midway) does not travel through pipe(): hand it to the parser, which throws it.
  source.once('error', (error) => parser.destroy(error));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // `info.lines` is where the record ends; a quoted cell may span lines, and the user looks for where it starts.
      yield { line: info.lines - newlines(record), cells: record };
    }
  } finally {
    // A reader that stops early (a preview) must not leave the file open.
    source.destroy();
  }
}

/** The header row, tidied: blank names become "Column N"; a name used twice is refused, as the mapping needs one. */
export function checkHeaders(cells: readonly string[]): string[] {
  if (cells.length > MAX_COLUMNS) throw badRequest('invalid_csv', `The file has more than ${MAX_COLUMNS} columns`);
  const headers = cells.map((cell, i) => cell.trim().slice(0, 200) || `Column ${i + 1}`);
  const seen = new Set<string>();
  for (const header of headers) {
    if (seen.has(header)) {
      throw badRequest('invalid_csv', `The header row names the column "${header}" twice`, [
        { path: 'file', message: 'Give every column a distinct name' },
      ]);
    }
    seen.add(header);
  }
  return headers;
}

/**
 * Reads a whole upload once, as a stream, to refuse a file that is not CSV before anything is imported: its
 * header row and how many data rows follow. A syntax error is a 400 naming the line.
 */
export async function scanCsv(stream: ReadableStream<Uint8Array>): Promise<{ headers: string[]; totalRows: number }> {
  let headers: string[] | null = null;
  let totalRows = 0;
  try {
    for await (const row of csvRecords(stream)) {
      if (headers === null) headers = checkHeaders(row.cells);
      else totalRows++;
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw badRequest('invalid_csv', `The file is not valid CSV${line ? ` (line ${line})` : ''}: ${error.message}`, [
        { path: 'file', message: error.message },
      ]);
    }
    throw error;
  }
  if (headers === null) {
    throw badRequest('invalid_csv', 'The file is empty: it needs a header row', [
      { path: 'file', message: 'No header row' },
    ]);
  }
  return { headers, totalRows };
}
