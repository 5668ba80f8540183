import { type SQL, sql } from 'drizzle-orm';
import type { Connection } from '../database.ts';
import { rowsOf } from '../rows.ts';
import { applyChanges, type ChangedKeys } from './copy.ts';
import { quote, type TenantTable } from './tables.ts';

const TRIGGER = 'crm_move_capture';

/**
 * Installs the capture trigger on every tenant table of the source, one table per transaction so no lock is held
 * across tables (a writer holding one table and wanting the next cannot deadlock with it). Each waits at most a
 * few seconds for the table's writers; when it returns, every later change of a departing bucket is captured.
 */
export async function installCapture(source: Connection, tables: TenantTable[]): Promise<void> {
  for (const table of tables) {
    const args = [table.tenantColumn, ...table.key].map((a) => `'${a.replace(/'/g, "''")}'`).join(', ');
    await source.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL lock_timeout = '5s'`);
      await asOwner(source, tx);
      await tx.execute(
        sql.raw(
          `CREATE OR REPLACE TRIGGER ${TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON ${quote(table.name)}
           FOR EACH ROW EXECUTE FUNCTION crm_capture_move_change(${args})`,
        ),
      );
    });
  }
}

/** Removes the capture trigger once no bucket of the shard is departing any more. */
export async function removeCapture(source: Connection, tables: TenantTable[]): Promise<void> {
  const [busy] = await rowsOf<{ n: number }>(
    source.db,
    sql`SELECT count(*)::int AS n FROM shard_bucket_fences WHERE state IN ('departing', 'moved')`,
  );
  if ((busy?.n ?? 0) > 0) return;
  await source.db.transaction(async (tx) => {
    await asOwner(source, tx);
    for (const table of tables) await tx.execute(sql.raw(`DROP TRIGGER IF EXISTS ${TRIGGER} ON ${quote(table.name)}`));
  });
}

/**
 * Triggers are the tables' owner's to add and drop. On a server that is the app role, which migrated them; PGlite
 * migrates as its built-in superuser and then sets the app role (db/drivers/pglite.ts), so there the DDL steps
 * back to it for the transaction.
 */
async function asOwner(shard: Connection, tx: { execute(query: SQL): Promise<unknown> }): Promise<void> {
  if (shard.kind === 'pglite') await tx.execute(sql`SET LOCAL ROLE NONE`);
}

type Change = { id: number | string; table_name: string; tenant: string; key: Record<string, unknown> | string };

/**
 * One catch-up round: reads up to `limit` captured changes of the given organizations, applies them to the target
 * per organization, then deletes them from the source's change log. Applying is idempotent (it copies the current
 * row, or deletes a gone one), so a round cut short is simply repeated. Answers how many changes it applied.
 */
export async function catchUpRound(
  source: Connection,
  target: Connection,
  tables: TenantTable[],
  buckets: number[],
  limit = 5_000,
): Promise<number> {
  const changes = await rowsOf<Change>(
    source.db,
    sql`SELECT id, table_name, tenant, key FROM shard_move_changes
        WHERE crm_bucket(tenant) = ANY(${bucketArray(buckets)}::int[]) ORDER BY id LIMIT ${limit}`,
  );
  if (changes.length === 0) return 0;
  const byTenant = new Map<string, ChangedKeys>();
  const seen = new Set<string>();
  for (const change of changes) {
    const key = typeof change.key === 'string' ? (JSON.parse(change.key) as Record<string, unknown>) : change.key;
    const unique = `${change.tenant}\u0000${change.table_name}\u0000${JSON.stringify(key)}`;
    if (seen.has(unique)) continue;
    seen.add(unique);
    const keys = byTenant.get(change.tenant) ?? new Map();
    byTenant.set(change.tenant, keys);
    const list = keys.get(change.table_name) ?? [];
    list.push(key);
    keys.set(change.table_name, list);
  }
  for (const [tenant, keys] of byTenant) await applyChanges(source, target, tables, tenant, keys);
  const ids = changes.map((c) => String(c.id));
  await source.db.execute(sql`DELETE FROM shard_move_changes WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[])`);
  return changes.length;
}

/** Applies every captured change; under the fence nothing new arrives, so this ends. */
export async function catchUpAll(
  source: Connection,
  target: Connection,
  tables: TenantTable[],
  buckets: number[],
): Promise<number> {
  let total = 0;
  for (let n = 1; n > 0; total += n) n = await catchUpRound(source, target, tables, buckets);
  return total;
}

/** Forgets the captured changes of the buckets (after their cleanup, or when the move is given up). */
export async function forgetChanges(source: Connection, buckets: number[]): Promise<void> {
  await source.db.execute(
    sql`DELETE FROM shard_move_changes WHERE crm_bucket(tenant) = ANY(${bucketArray(buckets)}::int[])`,
  );
}

export const bucketArray = (buckets: number[]) => `{${buckets.join(',')}}`;
