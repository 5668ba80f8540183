import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import type { companies, contacts, deals, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { visibleTo } from '../support/owner.ts';

type BulkTable = typeof leads | typeof contacts | typeof deals | typeof companies;

/** Locks a chunk's rows of the organization for change, by id; ids of no such row are absent. */
export async function lockRows<T extends BulkTable>(
  tx: Tx,
  table: T,
  organizationId: string,
  ids: string[],
): Promise<Map<string, T['$inferSelect']>> {
  const rows = (await tx
    .select()
    .from(table as typeof leads)
    .where(and(eq(table.organizationId, organizationId), inArray(table.id, ids)))
    .for('update')) as T['$inferSelect'][];
  return new Map(rows.map((row) => [row.id, row]));
}

/** Locks a chunk's rows for change and keeps those the principal may see, by id; the rest answer not_found. */
export async function lockVisibleRows<T extends typeof leads | typeof contacts | typeof deals>(
  tx: Tx,
  table: T,
  principal: Principal,
  ids: string[],
): Promise<Map<string, T['$inferSelect']>> {
  const rows = await lockRows(tx, table, principal.organizationId, ids);
  return new Map([...rows].filter(([, row]) => visibleTo(principal, row.ownerId)));
}
