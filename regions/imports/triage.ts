import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { FieldDefinition } from '../custom-fields/values.ts';
import type { CsvRow } from './csv.ts';
import { checkRow, describeIssues, rowToValues } from './rows.ts';
import type { ValidRow } from './writers/types.ts';

export type Triage<E extends ImportEntity> = {
  valid: ValidRow<E>[];
  failures: { row: CsvRow; reason: string }[];
  /** The keys this batch met before any earlier line did, with their lines: for the import's key table. */
  firstSeen: Map<string, number>;
};

/** The lines on which earlier rows of the file had these keys (keys.ts reads them from the database). */
export type EarlierLines = (keys: string[]) => Promise<ReadonlyMap<string, number>>;

/**
 * Sorts a batch of rows into the ones to write and the ones that fail: invalid rows (reasons naming the columns),
 * and rows whose email or domain an earlier row of the file already had (the first one wins). Only the batch's
 * own keys are held here: `earlier` answers for the rows of earlier batches, so memory does not grow with the
 * file. A key `earlier` places on the row's own line or after it is not a duplicate (a resumed run re-reading the
 * rows it committed). `customFields` are the organization's definitions for the entity, which read and check the
 * `cf.<key>` columns.
 */
export async function triage<E extends ImportEntity>(
  entity: E,
  headers: readonly string[],
  mapping: Readonly<Record<string, string>>,
  rows: readonly CsvRow[],
  earlier: EarlierLines,
  customFields: readonly FieldDefinition[],
): Promise<Triage<E>> {
  const checked = rows.map((row) => ({
    row,
    checked: checkRow(entity, rowToValues(headers, row.cells, mapping), mapping, customFields),
  }));
  const keys = checked.flatMap(({ checked: c }) => (c.ok && c.key ? [c.key] : []));
  const before = keys.length ? await earlier(keys) : new Map<string, number>();
  const result: Triage<E> = { valid: [], failures: [], firstSeen: new Map() };
  for (const { row, checked: c } of checked) {
    if (!c.ok) {
      result.failures.push({ row, reason: describeIssues(c.errors) });
      continue;
    }
    const earlierLine = c.key ? before.get(c.key) : undefined;
    const first =
      earlierLine !== undefined && earlierLine < row.line
        ? earlierLine
        : c.key
          ? result.firstSeen.get(c.key)
          : undefined;
    if (first !== undefined) {
      result.failures.push({ row, reason: `Duplicate of line ${first} in this file (${c.key})` });
      continue;
    }
    if (c.key) result.firstSeen.set(c.key, row.line);
    const createFailure = c.createIssues.length ? describeIssues(c.createIssues) : null;
    result.valid.push({ row, input: c.input, key: c.key, createFailure });
  }
  return result;
}
