import type { Tx } from '../../../db/database.ts';
import type { CustomFieldValues } from '../../../db/schema/crm.ts';
import type { ImportEntity } from '../../../openapi/schemas/imports.ts';
import type { CsvRow } from '../csv.ts';
import type { ImportInput } from '../rows.ts';

/**
 * A valid row of a batch: where it came from, the create body it stands for, its dedupe key, and why it cannot
 * create a record (a required custom field left empty), if it cannot: it may still update a matching one.
 */
export type ValidRow<E extends ImportEntity> = {
  row: CsvRow;
  input: ImportInput[E];
  key: string | null;
  createFailure: string | null;
};

export type Batch<E extends ImportEntity> = {
  organizationId: string;
  /** Who started the import; the records name them as their creator. */
  createdBy: string | null;
  onDuplicate: 'skip' | 'update';
  /** Already unique by key within the file (later duplicates were reported before). */
  rows: ValidRow<E>[];
  now: Date;
};

export type BatchOutcome = {
  createdIds: string[];
  updatedIds: string[];
  skipped: number;
  failures: { row: CsvRow; reason: string }[];
};

/** Writes one batch inside the caller's transaction: one multi-row insert, and an update per matched record. */
export type BatchWriter<E extends ImportEntity> = (tx: Tx, batch: Batch<E>) => Promise<BatchOutcome>;

export const emptyOutcome = (): BatchOutcome => ({ createdIds: [], updatedIds: [], skipped: 0, failures: [] });

/** The fields a row sets, without the ones it left empty, for an update that fills in only what the row has. */
export const present = <T extends object>(input: T): Partial<T> =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;

/**
 * The custom fields an update stores: the row's values merged into the record's, as a PATCH merges them; undefined
 * when the row has none, so the record's stay as they are.
 */
export const mergedCustomFields = (current: CustomFieldValues, incoming: CustomFieldValues | undefined) =>
  incoming === undefined ? undefined : { ...current, ...incoming };

/** Newest first, the first record per key: the one a duplicate row updates when several share an email. */
export function firstByKey<R>(records: R[], keyOf: (record: R) => string | null): Map<string, R> {
  const byKey = new Map<string, R>();
  for (const record of records) {
    const key = keyOf(record);
    if (key && !byKey.has(key)) byKey.set(key, record);
  }
  return byKey;
}
