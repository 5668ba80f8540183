import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { FieldDefinition } from '../custom-fields/values.ts';
import type { CsvRow } from './csv.ts';
import { checkRow, describeIssues, rowToValues } from './rows.ts';
import type { ValidRow } from './writers/types.ts';

export type Triage<E extends ImportEntity> = { valid: ValidRow<E>[]; failures: { row: CsvRow; reason: string }[] };

/**
 * Sorts a batch of rows into the ones to write and the ones that fail: invalid rows (reasons naming the columns),
 * and rows whose email or domain an earlier row of the file already had (the first one wins). `seen` carries the
 * keys across batches, and is rebuilt by running the skipped rows through here again when a run resumes.
 * `customFields` are the organization's definitions for the entity, which read and check the `cf.<key>` columns.
 */
export function triage<E extends ImportEntity>(
  entity: E,
  headers: readonly string[],
  mapping: Readonly<Record<string, string>>,
  rows: readonly CsvRow[],
  seen: Map<string, number>,
  customFields: readonly FieldDefinition[],
): Triage<E> {
  const result: Triage<E> = { valid: [], failures: [] };
  for (const row of rows) {
    const checked = checkRow(entity, rowToValues(headers, row.cells, mapping), mapping, customFields);
    if (!checked.ok) {
      result.failures.push({ row, reason: describeIssues(checked.errors) });
      continue;
    }
    const first = checked.key ? seen.get(checked.key) : undefined;
    if (first !== undefined) {
      result.failures.push({ row, reason: `Duplicate of line ${first} in this file (${checked.key})` });
      continue;
    }
    if (checked.key) seen.set(checked.key, row.line);
    const createFailure = checked.createIssues.length ? describeIssues(checked.createIssues) : null;
    result.valid.push({ row, input: checked.input, key: checked.key, createFailure });
  }
  return result;
}
