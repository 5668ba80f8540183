import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { AppDatabase, Connection } from '../database.ts';
import { type QueryObserver, timePoolQueries } from '../query-timing.ts';
import { assertNotPrivileged, MIGRATION_LOCK } from './privileges.ts';

/** Real PostgreSQL over TCP through a `pg` pool. The URL's user must be an ordinary role, or RLS would not bind it. */
export async function openPg(id: string, url: string, poolSize = 10, observe?: QueryObserver): Promise<Connection> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  if (observe) timePoolQueries(pool, observe);
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzle({ client: pool }) as unknown as AppDatabase;
  const query = async <T>(text: string) => (await pool.query(text)).rows as T[];
  return {
    id,
    kind: 'pg',
    db,
    native: { kind: 'pool', query: (text, values) => pool.query(text, values as unknown[]) },
    async migrate(migrationsFolder) {
      await assertNotPrivileged(id, query);
      // The lock is a transaction's, held open on a connection of its own while the pool migrates: through
      // PgBouncer in transaction mode a session-level lock would stay on whichever server connection took it
      // (docs/operations.md, "PgBouncer").
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await migrate(drizzle({ client: pool }), { migrationsFolder });
      } finally {
        await holder.query('ROLLBACK').catch(() => {});
        await holder.end().catch(() => {});
      }
    },
    async appliedMigrations() {
      const rows = await query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
      return rows[0]?.n ?? 0;
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
