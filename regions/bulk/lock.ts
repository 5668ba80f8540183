import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import type { contacts, deals, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { visibleTo } from '../support/owner.ts';

type OwnedTable = typeof leads | typeof contacts | typeof deals;

/** Locks a chunk's rows for change and keeps those the principal may see, by id; the rest answer not_found. */
export async function lockVisibleRows<T extends OwnedTable>(
  tx: Tx,
  table: T,
  principal: Principal,
  ids: string[],
): Promise<Map<string, T['$inferSelect']>> {
  const rows = (await tx
    .select()
    .from(table as typeof leads)
    .where(and(eq(table.organizationId, principal.organizationId), inArray(table.id, ids)))
    .for('update')) as T['$inferSelect'][];
  return new Map(rows.filter((row) => visibleTo(principal, row.ownerId)).map((row) => [row.id, row]));
}
