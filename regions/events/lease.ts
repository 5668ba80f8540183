import { sql } from 'drizzle-orm';
import type { Connection } from '../../db/database.ts';

/**
 * Takes or renews the shard's relay lease. A lease instead of an advisory lock: the relay holds no transaction or
 * session while it publishes, and a killed holder's lease simply runs out.
 */
export async function acquireRelayLease(shard: Connection, holder: string, seconds: number): Promise<boolean> {
  const result = await shard.db.execute(sql`
    INSERT INTO outbox_relay_lease (shard, holder, expires_at)
    VALUES (${shard.id}, ${holder}, now() + make_interval(secs => ${seconds}))
    ON CONFLICT (shard) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE outbox_relay_lease.holder = excluded.holder OR outbox_relay_lease.expires_at < now()
    RETURNING holder`);
  return rowsOf(result).length > 0;
}

export async function releaseRelayLease(shard: Connection, holder: string): Promise<void> {
  await shard.db.execute(
    sql`UPDATE outbox_relay_lease SET expires_at = now() WHERE shard = ${shard.id} AND holder = ${holder}`,
  );
}

/** Drivers differ in what execute() answers: an array or `{ rows }`. */
function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
}
