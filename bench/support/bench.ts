import type { Backend } from './database.ts';
import type { BenchResult } from './table.ts';

/** What a benchmark is handed by bench/run.ts. */
export type BenchContext = {
  backend: Backend;
  /**
   * A size from the environment (`BENCH_ROWS=20000`), else the default for the backend: the sizes on
   * PostgreSQL, smaller ones on PGlite, which is single-connection and in-process.
   */
  size(variable: string, postgresDefault: number, pgliteDefault: number): number;
  /** Prints the result at once, and keeps it for the summary table. */
  record(result: BenchResult): void;
  /** A progress or finding line, indented under the benchmark's name. */
  log(message: string): void;
};

export type Benchmark = {
  name: string;
  /** One line: what it measures and against which baseline. */
  summary: string;
  run(ctx: BenchContext): Promise<void>;
};

export function sizeFromEnv(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${variable} must be a positive whole number, not "${raw}"`);
  return n;
}
