import { sql } from 'drizzle-orm';
import type { Connection } from '../database.ts';
import { rowsOf } from '../rows.ts';

/** A tenant table as a move copies it: read from the shard's catalog, so tables added later move too. */
export type TenantTable = {
  name: string;
  /** `organization_id`, or `id` for `organizations` itself. */
  tenantColumn: string;
  /** Every column a row is written with (generated columns are computed again by the target). */
  columns: string[];
  /** The primary key; empty for keyless tables (derived roll-ups), which a change re-copies whole per organization. */
  key: string[];
  /** Tenant tables this one's foreign keys point at (itself excluded). */
  parents: string[];
};

type CatalogRow = { name: string; columns: string[]; key: string[] | null; parents: string[] | null };

export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/**
 * The shard's tenant tables, parents before children (the order rows are written in; deletes go in reverse).
 * Tables in a foreign-key cycle could not be written in any order: they are refused.
 */
export async function tenantTables(shard: Connection): Promise<TenantTable[]> {
  const rows = await rowsOf<CatalogRow>(
    shard.db,
    sql`
    SELECT c.relname AS name,
      (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
      (SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum)) FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = c.oid AND i.indisprimary) AS key,
      (SELECT array_agg(DISTINCT p.relname::text) FROM pg_constraint f JOIN pg_class p ON p.oid = f.confrelid
        WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid <> c.oid) AS parents
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname`,
  );
  const tables: TenantTable[] = [];
  for (const row of rows) {
    const tenantColumn =
      row.name === 'organizations' ? 'id' : row.columns.includes('organization_id') ? 'organization_id' : undefined;
    if (!tenantColumn) continue;
    tables.push({ name: row.name, tenantColumn, columns: row.columns, key: row.key ?? [], parents: row.parents ?? [] });
  }
  return parentsFirst(tables);
}

function parentsFirst(tables: TenantTable[]): TenantTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: TenantTable[] = [];
  const visit = (table: TenantTable) => {
    if (done.has(table.name)) return;
    if (visiting.has(table.name)) throw new Error(`foreign keys form a cycle through ${table.name}`);
    visiting.add(table.name);
    for (const parent of table.parents) {
      const p = byName.get(parent);
      if (p) visit(p);
    }
    visiting.delete(table.name);
    done.add(table.name);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}
