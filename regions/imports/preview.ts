import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findImport } from './access.ts';
import { csvRecords } from './csv.ts';
import { importCustomFields } from './custom-fields.ts';
import { readOptions } from './options.ts';
import { checkRow, rowToValues } from './rows.ts';

export const PREVIEW_ROWS = 20;

/**
 * The first rows of the file as the current mapping would import them, each checked with the create schema and
 * the organization's custom field definitions, so the user sees what to fix (by line and column) before starting.
 * A row is checked as a new record: a required custom field it leaves empty is an error, although such a row may
 * still update a matching record. Reads only as much of the file as it shows.
 */
export async function previewImport(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'data:import');
  const { organizationId } = principal;
  const { row, customFields } = await ctx.shards.withTenant(organizationId, async (tx) => {
    const found = await findImport(tx, organizationId, id);
    return { row: found, customFields: await importCustomFields(tx, organizationId, found.entity) };
  });
  const { headers } = readOptions(row.options);
  const mapping = row.mapping ?? {};
  const rows = [];
  let header = true;
  for await (const record of csvRecords(await ctx.storage.get(row.storageKey))) {
    if (header) {
      header = false;
      continue;
    }
    const checked = checkRow(row.entity, rowToValues(headers, record.cells, mapping), mapping, customFields);
    rows.push({
      line: record.line,
      values: checked.values,
      errors: checked.ok ? checked.createIssues : checked.errors,
    });
    if (rows.length === PREVIEW_ROWS) break;
  }
  const invalidRows = rows.filter((r) => r.errors.length > 0).length;
  return { rows, validRows: rows.length - invalidRows, invalidRows };
}
