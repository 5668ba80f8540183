import type { ExportEntity, ExportQuery } from '../../openapi/schemas/exports.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import { contentDisposition } from '../attachments/content-types.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { exportStream } from './stream.ts';

/** The export as a download: data:export and the records' read permission, checked before the first byte. */
export function exportCsv<E extends ExportEntity>(
  ctx: RegionContext,
  { principal }: Actor,
  entity: E,
  query: ExportQuery<E>,
  now = new Date(),
): Response {
  assertCan(principal, 'data:export');
  assertCan(principal, `${entity}:read` as Permission);
  return new Response(exportStream(ctx, principal, entity, query), {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': contentDisposition(`${entity}-${now.toISOString().slice(0, 10)}.csv`),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
}
