import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { companies, contacts, deals, leads } from '../../db/schema/index.ts';
import type { CustomFieldEntity } from './values.ts';

/** The table whose rows carry the custom fields of each entity. */
export const recordTables = { lead: leads, contact: contacts, company: companies, deal: deals } as const;

/** Whether any record of the entity holds a value for the key (then its key and type are frozen). */
export async function valuesExist(tx: Tx, organizationId: string, entity: CustomFieldEntity, key: string) {
  const table = recordTables[entity];
  const [row] = await tx
    .select({ one: sql<number>`1` })
    .from(table)
    .where(and(eq(table.organizationId, organizationId), sql`jsonb_exists(${table.customFields}, ${key})`))
    .limit(1);
  return Boolean(row);
}

/** Drops the key from every record holding it, bumping their versions so cached ETags go stale. */
export async function removeValues(tx: Tx, organizationId: string, entity: CustomFieldEntity, key: string) {
  const table = recordTables[entity];
  const rows = await tx
    .update(table)
    .set({
      customFields: sql`${table.customFields} - ${key}::text`,
      version: sql`${table.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(table.organizationId, organizationId), sql`jsonb_exists(${table.customFields}, ${key})`))
    .returning({ id: table.id });
  return rows.length;
}
