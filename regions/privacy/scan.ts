import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { rows } from '../analytics/sql.ts';

type Column = { table_name: string; column_name: string };

/**
 * Every text, varchar, text[] and jsonb column of the shard's tables that contains one of the needles, read in the
 * caller's transaction (so under its tenant's row-level security). For tests proving an erasure left nothing behind.
 */
export async function findText(tx: Tx, needles: string[]): Promise<string[]> {
  const columns = await rows<Column>(
    tx,
    sql`SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema()
          AND (data_type IN ('text', 'jsonb', 'json', 'character varying') OR udt_name IN ('_text', '_varchar'))
          AND table_name IN (SELECT table_name FROM information_schema.tables
                             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
        ORDER BY table_name, column_name`,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const where = sql.join(
      needles.map((n) => sql`lower(${sql.identifier(column_name)}::text) LIKE ${`%${n.toLowerCase()}%`}`),
      sql` OR `,
    );
    const [hit] = await rows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM ${sql.identifier(table_name)} WHERE ${where}`,
    );
    if (hit && hit.n > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}
