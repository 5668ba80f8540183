import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../database.ts';
import { rowsOf } from '../rows.ts';
import { outbox } from '../schema/index.ts';

/**
 * The outbox rows a shard's relay may publish, given bucket moves: none of a bucket being copied here (`incoming`)
 * nor of one fenced or switched away (`moved`), so that while a move holds both shards only one publishes each
 * event. Without fences (the usual case) the condition costs nothing per row.
 */
export async function publishableOutbox(tx: Pick<Tx, 'execute'>): Promise<SQL | undefined> {
  const held = await rowsOf<{ bucket: number }>(
    tx,
    sql`SELECT bucket FROM shard_bucket_fences WHERE state IN ('moved', 'incoming')`,
  );
  if (held.length === 0) return undefined;
  return sql`crm_bucket(${outbox.organizationId}) <> ALL(${`{${held.map((r) => r.bucket).join(',')}}`}::int[])`;
}
