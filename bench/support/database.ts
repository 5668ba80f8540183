import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Connection } from '../../db/database.ts';
import { APP_ROLE } from '../../db/drivers/pglite.ts';
import { markSearchOperatorsLeakproof } from '../../scripts/db-setup.ts';

/**
 * Where the benchmarks' data lives: the real PostgreSQL on 127.0.0.1 (the numbers that count), or embedded PGlite
 * when it does not answer (smaller default sizes, and every figure labelled as PGlite's).
 */
export type Backend =
  | { kind: 'postgres'; adminUrl: string; appUrl: string; version: string }
  | { kind: 'pglite'; version: string; reason: string };

const adminUrl = () => process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const appUrl = () => process.env.BENCH_PG_URL ?? 'postgres://crm_app:crm_app@127.0.0.1:5432/postgres';

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier: ${name}`);
  return `"${name}"`;
};

const urlWith = (base: string, database: string) => {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
};

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Asks PostgreSQL (superuser, set-up only) whether it answers and the application role exists. */
export async function detectBackend(): Promise<Backend> {
  if (process.env.BENCH_PGLITE === '1') return { kind: 'pglite', version: 'PGlite', reason: 'BENCH_PGLITE=1' };
  try {
    return await withAdmin(async (admin) => {
      const role = new URL(appUrl()).username;
      const found = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (!found.rowCount) throw new Error(`role ${role} does not exist (npm run db:setup creates it)`);
      const { rows } = await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      return { kind: 'postgres' as const, adminUrl: adminUrl(), appUrl: appUrl(), version: `PostgreSQL ${rows[0]!.v}` };
    });
  } catch (error) {
    return { kind: 'pglite', version: 'PGlite', reason: `PostgreSQL did not answer: ${(error as Error).message}` };
  }
}

export type BenchDatabases = { directoryUrl: string; shardUrls: string[]; drop(): Promise<void> };

/**
 * Fresh databases for one benchmark, `crm_bench_<name>_directory` and `crm_bench_<name>_<i>`, owned by the
 * application role (which migrates them as the region starts), dropped by `drop()`. PGlite: in memory.
 */
export async function createBenchDatabases(backend: Backend, name: string, shards: number): Promise<BenchDatabases> {
  if (backend.kind === 'pglite') {
    return {
      directoryUrl: 'pglite:memory:',
      shardUrls: Array.from({ length: shards }, () => 'pglite:memory:'),
      drop: async () => {},
    };
  }
  const names = [`crm_bench_${name}_directory`, ...Array.from({ length: shards }, (_, i) => `crm_bench_${name}_${i}`)];
  const owner = ident(new URL(backend.appUrl).username);
  const dropAll = () =>
    withAdmin(async (admin) => {
      for (const db of names) await admin.query(`DROP DATABASE IF EXISTS ${ident(db)} WITH (FORCE)`);
    });
  // A run that died half-way leaves its databases behind: start from nothing either way.
  await dropAll();
  await withAdmin(async (admin) => {
    for (const db of names) await admin.query(`CREATE DATABASE ${ident(db)} OWNER ${owner}`);
  });
  for (const db of names) await markSearchOperatorsLeakproof(urlWith(backend.adminUrl, db));
  return {
    directoryUrl: urlWith(backend.appUrl, names[0]!),
    shardUrls: names.slice(1).map((db) => urlWith(backend.appUrl, db)),
    // BENCH_KEEP_DATABASES=1 leaves them for a look afterwards (EXPLAIN ANALYZE); the next run drops them first.
    drop: async () => {
      if (process.env.BENCH_KEEP_DATABASES === '1') console.log(`   kept databases: ${names.join(', ')}`);
      else await dropAll();
    },
  };
}

export type Query = <T = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;

/**
 * The baseline's way in: one plain connection to a shard as the application role (RLS binds it), no ORM, no
 * HTTP. On PostgreSQL its own `pg` client; on PGlite the shard's embedded instance (already SET ROLE crm_app).
 */
export interface RawDb {
  readonly kind: Backend['kind'];
  query: Query;
  /** BEGIN, the organization's RLS setting (transaction-local, as the region sets it), work, COMMIT. */
  inTenant<T>(organizationId: string, work: (query: Query) => Promise<T>): Promise<T>;
  /** One statement only the tables' owner may run (TRUNCATE, VACUUM ANALYZE), outside any transaction. */
  asOwner(sql: string): Promise<void>;
  close(): Promise<void>;
}

const tenantSql = "SELECT set_config('app.organization_id', $1, true)";

export async function openRawDb(backend: Backend, shard: Connection, shardUrl: string): Promise<RawDb> {
  if (backend.kind === 'pglite') {
    if (shard.native.kind !== 'pglite') throw new Error('a PGlite backend needs a PGlite shard');
    const client: PGlite = shard.native.client;
    return {
      kind: 'pglite',
      query: async (text, values) => (await client.query(text, values)).rows as never,
      inTenant: (organizationId, work) =>
        client.transaction(async (tx) => {
          await tx.query(tenantSql, [organizationId]);
          return work(async (text, values) => (await tx.query(text, values)).rows as never);
        }),
      // PGlite runs as a superuser that the app switches away from; the tables belong to that superuser.
      // One statement per call: VACUUM refuses to run inside the implicit transaction of a multi-statement string.
      asOwner: async (sql) => {
        await client.exec('RESET ROLE');
        try {
          await client.exec(sql);
        } finally {
          await client.exec(`SET ROLE ${APP_ROLE}`);
        }
      },
      close: async () => {},
    };
  }
  const client = new pg.Client({ connectionString: shardUrl });
  await client.connect();
  const query: Query = async (text, values) => (await client.query(text, values)).rows;
  return {
    kind: 'postgres',
    query,
    async inTenant(organizationId, work) {
      await client.query('BEGIN');
      try {
        await client.query(tenantSql, [organizationId]);
        const result = await work(query);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    // The application role owns its databases (it ran the migrations), so it may.
    asOwner: async (sql) => {
      await client.query(sql);
    },
    close: () => client.end(),
  };
}
