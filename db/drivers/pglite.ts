import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { AppDatabase, Connection } from '../database.ts';
import { type QueryObserver, timePgliteQueries } from '../query-timing.ts';

/** The role the application runs as; PGlite itself runs as a superuser, which RLS would not bind. */
export const APP_ROLE = 'crm_app';

/** PGlite, the embedded default: one instance per database, persisted in a folder (or `memory:`). */
export async function openPglite(id: string, location: string, observe?: QueryObserver): Promise<Connection> {
  const inMemory = location === 'memory:' || location === '';
  if (!inMemory) mkdirSync(location, { recursive: true });
  const client = await PGlite.create(inMemory ? undefined : location, {
    extensions: { btree_gin, btree_gist, pg_trgm },
  });
  if (observe) timePgliteQueries(client as never, observe);
  const db = drizzle({ client }) as unknown as AppDatabase;
  return {
    id,
    kind: 'pglite',
    db,
    native: { kind: 'pglite', client },
    async migrate(migrationsFolder) {
      await client.exec('RESET ROLE');
      await migrate(drizzle({ client }), { migrationsFolder });
      await client.exec(`
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} NOLOGIN; END IF;
        END $$;
        GRANT USAGE ON SCHEMA public, drizzle TO ${APP_ROLE};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE};
        -- the capture triggers of bucket moves (db/moves/) number their change-log rows as the writer's role
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE};
        GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO ${APP_ROLE};
        -- as on a real server, where the app role owns its database: the job queue keeps its own schema
        DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO ${APP_ROLE}', current_database()); END $$;
        SET ROLE ${APP_ROLE};
      `);
    },
    async appliedMigrations() {
      const result = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
      return result.rows[0]?.n ?? 0;
    },
    async ping() {
      await client.query('SELECT 1');
    },
    async close() {
      await client.close();
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
  };
}
