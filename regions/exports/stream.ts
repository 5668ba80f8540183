import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { activities, companies, contacts, deals, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import type { ExportEntity, ExportQuery } from '../../openapi/schemas/exports.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { csvLines } from './cells.ts';
import { type ExportRow, exportColumns } from './columns.ts';
import { exportFilters } from './filters.ts';

/** Rows per query: large enough to keep round trips few, small enough that a page is all the memory it takes. */
export const EXPORT_PAGE_ROWS = 500;

const tables = { leads, contacts, companies, deals, activities };

/**
 * The CSV of everything the list would show with these filters, as a stream that reads one keyset page (newest
 * first by id) per pull, in its own short transaction, only when the consumer is ready for more: memory stays at
 * about one page however large the table. Sales reps get only their own records, except companies (shared).
 */
export function exportStream<E extends ExportEntity>(
  ctx: RegionContext,
  principal: Principal,
  entity: E,
  query: ExportQuery<E>,
): ReadableStream<Uint8Array> {
  const { organizationId } = principal;
  // Every exported table has organization_id, id and owner_id; drizzle cannot select from a union of tables.
  const table = tables[entity] as unknown as typeof leads;
  const columns = exportColumns[entity];
  const filters = exportFilters[entity].conditions(query).filter((c): c is SQL => c !== undefined);
  const own = entity === 'companies' ? null : ownRecordsOnly(principal);
  const base = [eq(table.organizationId, organizationId), ...filters, ...(own ? [eq(table.ownerId, own)] : [])];
  const encoder = new TextEncoder();
  let after: string | null = null;
  // Set when the reader gives up (the client left, and the edge cancelled its call): a page still being read is
  // dropped and no further page is asked for.
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // A byte-order mark, so spreadsheet programs read the file as UTF-8.
        controller.enqueue(encoder.encode(`\ufeff${csvLines([columns.map(([header]) => header)])}`));
      },
      async pull(controller) {
        try {
          const rows = (await ctx.shards.withTenant(organizationId, (tx) =>
            tx
              .select()
              .from(table)
              .where(and(...base, ...(after ? [lt(table.id, after)] : [])))
              .orderBy(desc(table.id))
              .limit(EXPORT_PAGE_ROWS),
          )) as ExportRow<E>[];
          if (cancelled) return;
          if (rows.length > 0) {
            const cells = rows.map((row) => columns.map(([, value]) => value(row as never)));
            controller.enqueue(encoder.encode(csvLines(cells)));
          }
          if (rows.length < EXPORT_PAGE_ROWS) controller.close();
          else after = rows[rows.length - 1]!.id;
        } catch (err) {
          if (cancelled) return;
          // The status line has gone; all that is left is to cut the download short, so the file is visibly broken.
          ctx.log.error({ err, entity, organizationId }, 'export failed midway');
          controller.error(err);
        }
      },
      cancel() {
        cancelled = true;
        ctx.log.info({ entity, organizationId }, 'export cancelled by its reader');
      },
    },
    { highWaterMark: 1 },
  );
}
