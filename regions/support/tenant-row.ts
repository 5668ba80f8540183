import { and, eq } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/database.ts';
import { notFound } from '../../openapi/errors.ts';

/** A table of organizations' rows keyed by (organization_id, id), with an `updated_at`. */
type TenantTable = PgTable & { organizationId: PgColumn; id: PgColumn; updatedAt: PgColumn };

const whereRow = (table: TenantTable, organizationId: string, id: string) =>
  and(eq(table.organizationId, organizationId), eq(table.id, id));

/**
 * The read-check-write of a settings record: its row, locked until the transaction ends (FOR UPDATE), so a
 * concurrent change waits and is checked against what this one wrote; a 404 naming `what` when there is none.
 */
export async function lockTenantRow<T extends TenantTable>(
  tx: Tx,
  table: T,
  organizationId: string,
  id: string,
  what: string,
): Promise<T['$inferSelect']> {
  const [row] = await tx
    .select()
    .from(table as TenantTable)
    .where(whereRow(table, organizationId, id))
    .for('update');
  if (!row) throw notFound(what);
  return row as T['$inferSelect'];
}

/**
 * Writes `set` to the row, with a new `updatedAt` unless `set` has one, and answers the row as it is now: undefined
 * only when it was not locked first and is gone.
 */
export async function updateTenantRow<T extends TenantTable>(
  tx: Tx,
  table: T,
  organizationId: string,
  id: string,
  set: PgUpdateSetSource<T>,
): Promise<T['$inferSelect'] | undefined> {
  // Drizzle cannot name RETURNING's row type for a table only known as generic; it is the table's row.
  const rows = (await tx
    .update(table)
    .set({ updatedAt: new Date(), ...set } as PgUpdateSetSource<T>)
    .where(whereRow(table, organizationId, id))
    .returning()) as T['$inferSelect'][];
  return rows[0];
}
