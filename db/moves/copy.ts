import { sql } from 'drizzle-orm';
import type { Connection, Tx } from '../database.ts';
import { rowsOf } from '../rows.ts';
import { quote, type TenantTable } from './tables.ts';

type Row = Record<string, unknown>;

/**
 * One of the mover's transactions, scoped by row-level security to one organization. Unlike every tenant
 * transaction (ShardSet.withTenant) it does not enter the bucket (crm_enter_bucket), deliberately: the mover reads
 * the source while its fence keeps writers out, and writes the target before (and cleans the source after) the
 * shard that serves the bucket changes, where entering would be refused.
 */
export function asMover<T>(
  connection: Connection,
  organizationId: string,
  work: (tx: Tx) => Promise<T>,
  config?: Parameters<Connection['db']['transaction']>[1],
): Promise<T> {
  return connection.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('app.organization_id', ${organizationId}, true)`);
    return work(tx as Tx);
  }, config);
}

/**
 * Reads rows of one organization in a single repeatable-read snapshot of the source, so that what is written to the
 * target is one consistent state: every row a foreign key names is there too.
 */
function readSnapshot<T>(source: Connection, organizationId: string, read: (tx: Tx) => Promise<T>): Promise<T> {
  return asMover(source, organizationId, read, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

const columnList = (table: TenantTable) => sql.raw(table.columns.map(quote).join(', '));
const keyMatch = (table: TenantTable, left: string, right: string) =>
  sql.raw(table.key.map((k) => `${left}.${quote(k)} = ${right}.${quote(k)}`).join(' AND '));

async function allRows(tx: Tx, table: TenantTable, organizationId: string): Promise<string> {
  const [row] = await rowsOf<{ rows: string }>(
    tx,
    sql`SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb)::text AS rows FROM ${sql.raw(quote(table.name))} x
        WHERE x.${sql.raw(quote(table.tenantColumn))} = ${organizationId}`,
  );
  return row?.rows ?? '[]';
}

async function insertRows(tx: Tx, table: TenantTable, rows: string, upsert: boolean): Promise<void> {
  const name = sql.raw(quote(table.name));
  const others = table.columns.filter((c) => !table.key.includes(c));
  // A table that is all key (search_words) gets rows from the target's own triggers as its records arrive: the
  // same rows, which the copy leaves as they are.
  const conflict =
    !upsert && others.length > 0
      ? sql``
      : others.length === 0
        ? sql.raw(` ON CONFLICT (${table.key.map(quote).join(', ')}) DO NOTHING`)
        : sql.raw(
            ` ON CONFLICT (${table.key.map(quote).join(', ')}) DO UPDATE SET ${others
              .map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`)
              .join(', ')}`,
          );
  await tx.execute(
    sql`INSERT INTO ${name} (${columnList(table)}) OVERRIDING SYSTEM VALUE
        SELECT ${columnList(table)} FROM jsonb_populate_recordset(NULL::${name}, ${rows}::jsonb)${conflict}`,
  );
}

/**
 * Makes the target hold exactly the source's rows of the organization: its rows there (from an earlier, stopped
 * attempt) are deleted children first, then every table is written parents first, in one target transaction.
 */
export async function copyOrganization(
  source: Connection,
  target: Connection,
  tables: TenantTable[],
  organizationId: string,
): Promise<number> {
  const snapshot = await readSnapshot(source, organizationId, async (tx) => {
    const out: string[] = [];
    for (const table of tables) out.push(await allRows(tx, table, organizationId));
    return out;
  });
  let copied = 0;
  await asMover(target, organizationId, async (tx) => {
    for (const table of [...tables].reverse()) {
      await tx.execute(
        sql`DELETE FROM ${sql.raw(quote(table.name))} WHERE ${sql.raw(quote(table.tenantColumn))} = ${organizationId}`,
      );
    }
    for (const [i, table] of tables.entries()) {
      const rows = snapshot[i]!;
      if (rows === '[]') continue;
      await insertRows(tx, table, rows, false);
      copied += (JSON.parse(rows) as unknown[]).length;
    }
  });
  return copied;
}

export type ChangedKeys = Map<string, Row[]>;

const keyString = (table: TenantTable, row: Row) => JSON.stringify(table.key.map((k) => row[k] ?? null));

/**
 * Brings the target's copies of the changed rows up to the source: each key still on the source is written
 * (parents first), each key gone from it is deleted (children first); a keyless table is replaced whole. A conflict this order cannot resolve (a
 * unique value passed from a deleted row to a new one) is settled by copying the whole organization again.
 */
export async function applyChanges(
  source: Connection,
  target: Connection,
  tables: TenantTable[],
  organizationId: string,
  changed: ChangedKeys,
): Promise<void> {
  const touched = tables.filter((t) => changed.has(t.name));
  const current = await readSnapshot(source, organizationId, async (tx) => {
    const out = new Map<string, Row[]>();
    for (const table of touched) {
      if (table.key.length === 0) {
        out.set(table.name, JSON.parse(await allRows(tx, table, organizationId)) as Row[]);
        continue;
      }
      const keys = JSON.stringify(changed.get(table.name));
      const name = sql.raw(quote(table.name));
      const [row] = await rowsOf<{ rows: Row[] | string }>(
        tx,
        sql`SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) AS rows FROM ${name} x
            JOIN jsonb_populate_recordset(NULL::${name}, ${keys}::jsonb) k ON ${keyMatch(table, 'x', 'k')}`,
      );
      const rows = row?.rows ?? [];
      out.set(table.name, typeof rows === 'string' ? (JSON.parse(rows) as Row[]) : rows);
    }
    return out;
  });
  try {
    await asMover(target, organizationId, async (tx) => {
      for (const table of touched) {
        const rows = current.get(table.name)!;
        if (table.key.length === 0) {
          await tx.execute(
            sql`DELETE FROM ${sql.raw(quote(table.name))} WHERE ${sql.raw(quote(table.tenantColumn))} = ${organizationId}`,
          );
          if (rows.length) await insertRows(tx, table, JSON.stringify(rows), false);
        } else if (rows.length) await insertRows(tx, table, JSON.stringify(rows), true);
      }
      for (const table of [...touched].reverse()) {
        if (table.key.length === 0) continue;
        const present = new Set(current.get(table.name)!.map((r) => keyString(table, r)));
        const gone = changed.get(table.name)!.filter((k) => !present.has(keyString(table, k)));
        if (!gone.length) continue;
        const name = sql.raw(quote(table.name));
        await tx.execute(
          sql`DELETE FROM ${name} x USING jsonb_populate_recordset(NULL::${name}, ${JSON.stringify(gone)}::jsonb) k
              WHERE ${keyMatch(table, 'x', 'k')}`,
        );
      }
    });
  } catch {
    await copyOrganization(source, target, tables, organizationId);
  }
}
