import type { z } from '@hono/zod-openapi';
import type { Tx } from '../../db/database.ts';
import type { ReportScope } from './access.ts';
import type { CsvCell } from './csv.ts';

/** What every report answers besides its figures: the range it covers and whose figures they are. */
export type RangeFields = { from: string; to: string; timeZone: string; ownerId: string | null };

/** A report's figures: its JSON answer without the range fields, which are the same for every report. */
export type Figures<S extends z.ZodType> = Omit<z.output<S>, keyof RangeFields>;

/** The CSV form of a report: column names, then one row per line. */
export type ReportTable = { header: readonly string[]; rows: Iterable<readonly CsvCell[]> };

/**
 * One report: how it is computed (in the caller's RLS-scoped transaction) and how it reads as a table. The route
 * layer does the rest the same way for all of them: permissions, range, owner, JSON or CSV.
 */
export type Report<Q, R> = {
  /** Names the download: `<name>-<from>-<to>.csv`. */
  name: string;
  run(tx: Tx, scope: ReportScope, query: Q): Promise<R>;
  table(report: R & RangeFields): ReportTable;
};
