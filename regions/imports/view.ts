import type { imports } from '../../db/schema/index.ts';
import { customFieldTarget } from './custom-fields.ts';
import { importFields } from './fields.ts';
import { readOptions } from './options.ts';

export type ImportRow = typeof imports.$inferSelect;

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
export const finished = (status: ImportRow['status']) =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

/** The import as the API shows it; `customKeys` are the entity's custom fields, which `fields` lists as `cf.<key>`. */
export function importView(row: ImportRow, customKeys: readonly string[]) {
  const { onDuplicate, headers } = readOptions(row.options);
  return {
    id: row.id,
    entity: row.entity,
    status: row.status,
    filename: row.filename,
    headers,
    mapping: row.mapping ?? {},
    fields: [...importFields[row.entity], ...customKeys.map(customFieldTarget)],
    options: { onDuplicate },
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    createdRows: row.createdRows,
    updatedRows: row.updatedRows,
    skippedRows: row.processedRows - row.createdRows - row.updatedRows - row.failedRows,
    failedRows: row.failedRows,
    cancelRequested: row.cancelRequested,
    createdBy: row.createdBy,
    startedAt: isoOrNull(row.startedAt),
    finishedAt: isoOrNull(row.finishedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    errorsUrl: row.errorReportKey && finished(row.status) ? `/api/v1/imports/${row.id}/errors` : null,
  };
}

/**
 * Imports have no version column (see the report), so their validator is the time of their last change, which
 * every write (a PATCH, each committed batch) moves: `"v<epoch ms>"`.
 */
export const importEtag = (row: Pick<ImportRow, 'updatedAt'>) => `"v${row.updatedAt.getTime()}"`;
