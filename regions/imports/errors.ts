import { conflict } from '../../openapi/errors.ts';
import { contentDisposition } from '../attachments/content-types.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findImport } from './access.ts';
import { finished } from './view.ts';

/** The CSV of failed rows (line, reason, the row's cells), streamed from storage once the import has finished. */
export async function importErrors(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'data:import');
  const { organizationId } = principal;
  const row = await ctx.shards.withTenant(organizationId, (tx) => findImport(tx, organizationId, id));
  if (!finished(row.status) || !row.errorReportKey) {
    throw conflict('import_not_finished', 'The error report is ready once the import has finished');
  }
  const body = await ctx.storage.get(row.errorReportKey);
  const name = `${row.filename.replace(/\.csv$/i, '')}-errors.csv`;
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': contentDisposition(name),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
}
