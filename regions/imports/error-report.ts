import { csvLines } from '../exports/cells.ts';
import type { FileStorage } from '../storage/port.ts';
import type { CsvRow } from './csv.ts';

export type ErrorReport = {
  /** Adds a failed row: its line, why it failed, and its cells as they were in the file. */
  add(row: CsvRow, reason: string): void;
  /** Completes the file in storage. */
  finish(): Promise<void>;
  /** Drops the file: nothing is stored (a stopped or failed run writes its report again when it resumes). */
  abort(): Promise<void>;
};

/**
 * The CSV of failed rows, written to storage while the import runs rather than collected in memory: rows go into
 * a stream the storage adapter consumes as they come, and the file appears (atomically) only when it is finished.
 */
export function openErrorReport(storage: FileStorage, key: string, headers: readonly string[]): ErrorReport {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const stored = storage.put(key, stream, 'text/csv');
  // Observed in finish()/abort(); until then a failure must not surface as an unhandled rejection.
  stored.catch(() => {});
  controller.enqueue(encoder.encode(csvLines([['line', 'reason', ...headers]])));
  return {
    add(row, reason) {
      const cells = headers.map((_, i) => row.cells[i] ?? '');
      controller.enqueue(encoder.encode(csvLines([[row.line, reason, ...cells]])));
    },
    async finish() {
      controller.close();
      await stored;
    },
    async abort() {
      controller.error(new Error('import stopped before its report was complete'));
      await stored.catch(() => {});
    },
  };
}
