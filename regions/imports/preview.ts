import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findImport } from './access.ts';
import { csvRecords } from './csv.ts';
import { readOptions } from './options.ts';
import { checkRow, rowToValues } from './rows.ts';

export const PREVIEW_ROWS = 20;

/**
 * The first rows of the file as the current mapping would import them, each checked with the create schema, so
 * the user sees what to fix (by line and column) before starting. Reads only as much of the file as it shows.
 */
export async function previewImport(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'data:import');
  const { organizationId } = principal;
  const row = await ctx.shards.withTenant(organizationId, (tx) => findImport(tx, organizationId, id));
  const { headers } = readOptions(row.options);
  const mapping = row.mapping ?? {};
  const rows = [];
  let header = true;
  for await (const record of csvRecords(await ctx.storage.get(row.storageKey))) {
    if (header) {
      header = false;
      continue;
    }
    const checked = checkRow(row.entity, rowToValues(headers, record.cells, mapping), mapping);
    rows.push({ line: record.line, values: checked.values, errors: checked.ok ? [] : checked.errors });
    if (rows.length === PREVIEW_ROWS) break;
  }
  const invalidRows = rows.filter((r) => r.errors.length > 0).length;
  return { rows, validRows: rows.length - invalidRows, invalidRows };
}
