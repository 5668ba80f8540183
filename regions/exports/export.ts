import type { ExportEntity, ExportQuery } from '../../openapi/schemas/exports.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import { contentDisposition } from '../attachments/content-types.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
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

/**
 * Every export leaves an audit row (who, from where, which list and filters): a CSV of the whole organization is
 * the likeliest way data leaves in bulk. Written before the first byte, in a transaction of its own.
 */
export async function recordExport<E extends ExportEntity>(
  ctx: RegionContext,
  actor: Actor,
  entity: E,
  query: ExportQuery<E>,
): Promise<void> {
  const { organizationId } = actor.principal;
  await ctx.shards.withTenant(organizationId, (tx) =>
    recordChange(tx, {
      organizationId,
      actor,
      action: 'data.exported',
      target: { type: 'export', id: null },
      changes: { list: entity, filters: query },
    }),
  );
}
