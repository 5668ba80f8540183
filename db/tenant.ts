import { sql } from 'drizzle-orm';
import type { AppDatabase, Tx } from './database.ts';

/**
 * Runs `work` in one transaction that row-level security scopes to the organization:
 * the setting is transaction-local, so it cannot leak to the next user of a pooled connection.
 */
export function withTenant<T>(db: AppDatabase, organizationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('app.organization_id', ${organizationId}, true)`);
    return work(tx as Tx);
  });
}
