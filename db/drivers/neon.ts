import { Client, neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import type { AppDatabase, Connection } from '../database.ts';
import { type QueryObserver, timePoolQueries } from '../query-timing.ts';
import { assertNotPrivileged, MIGRATION_LOCK } from './privileges.ts';

/**
 * Neon's serverless driver (Postgres over WebSockets), for serverless regions and the edge. `wsProxy`
 * (`host:port` of a WebSocket-to-TCP proxy, plain ws://) reaches an ordinary PostgreSQL, as in tests and local runs.
 */
export async function openNeon(
  id: string,
  url: string,
  poolSize = 10,
  wsProxy?: string,
  observe?: QueryObserver,
): Promise<Connection> {
  if (typeof WebSocket === 'undefined') {
    const { default: ws } = await import('ws');
    neonConfig.webSocketConstructor = ws as unknown as typeof WebSocket;
  }
  if (wsProxy) {
    neonConfig.wsProxy = (host, port) => `${wsProxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: url, max: poolSize });
  if (observe) timePoolQueries(pool, observe);
  pool.on('error', () => {});
  const db = drizzle({ client: pool }) as unknown as AppDatabase;
  const query = async <T>(text: string) => (await pool.query(text)).rows as T[];
  return {
    id,
    kind: 'neon',
    db,
    native: { kind: 'pool', query: (text, values) => pool.query(text, values as unknown[]) },
    async migrate(migrationsFolder) {
      await assertNotPrivileged(id, query);
      // A transaction's lock on a connection of its own: a session lock taken by `pool.query` could be released
      // on another of the pool's connections, or stay on a pooler's server connection (see db/drivers/pg.ts).
      const holder = new Client({ connectionString: url });
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
