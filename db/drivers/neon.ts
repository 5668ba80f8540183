import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import type { AppDatabase, Connection } from '../database.ts';
import { type QueryObserver, timePoolQueries } from '../query-timing.ts';
import * as schema from '../schema/index.ts';
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
  const db = drizzle({ client: pool, schema }) as unknown as AppDatabase;
  const query = async <T>(text: string) => (await pool.query(text)).rows as T[];
  return {
    id,
    kind: 'neon',
    db,
    native: { kind: 'pool', query: (text, values) => pool.query(text, values as unknown[]) },
    async migrate(migrationsFolder) {
      await assertNotPrivileged(id, query);
      await pool.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await migrate(drizzle({ client: pool }), { migrationsFolder });
      } finally {
        await pool.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
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
