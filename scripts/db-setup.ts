import pg from 'pg';

export type SetupOptions = {
  /** A superuser (or CREATEROLE + CREATEDB) URL, used only here, never by the application. */
  adminUrl: string;
  role: string;
  password: string;
  databases: string[];
  /** Drop and recreate the databases (the test runner's fresh start). */
  recreate?: boolean;
};

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier: ${name}`);
  return `"${name}"`;
};

/**
 * Creates the application's role (LOGIN, no superuser, no BYPASSRLS, so row-level security binds it) and one
 * database per shard owned by that role, so the application itself runs its migrations.
 */
export async function setupDatabases(options: SetupOptions): Promise<void> {
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  try {
    const role = ident(options.role);
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [options.role]);
    const password = options.password.replace(/'/g, "''");
    await admin.query(
      exists.rowCount
        ? `ALTER ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`
        : `CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`,
    );
    for (const database of options.databases) {
      const name = ident(database);
      if (options.recreate) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      const present = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!present.rowCount) await admin.query(`CREATE DATABASE ${name} OWNER ${role}`);
      await markSearchOperatorsLeakproof(urlOf(options.adminUrl, database));
    }
  } finally {
    await admin.end();
  }
}

function urlOf(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The superuser's one part in search and duplicate detection (migrations 0018 and 0032 say why): creates the
 * extensions the migrations would create, then marks the full-text and trigram match operators LEAKPROOF, so that
 * under row-level security the planner may reach matching rows through the search and duplicate indexes. Only a
 * superuser may; the app's role runs the rest.
 */
export async function markSearchOperatorsLeakproof(databaseUrl: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await db.query('ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF');
    await db.query('ALTER FUNCTION word_similarity_op(text, text) LEAKPROOF');
    await db.query('ALTER FUNCTION similarity_op(text, text) LEAKPROOF');
  } finally {
    await db.end();
  }
}

const isMain = process.argv[1]?.endsWith('db-setup.ts');
if (isMain) {
  // npm run db:setup -- crm_us_0 crm_us_1 …  (see README, "Real servers")
  const databases = process.argv.slice(2);
  if (databases.length === 0) {
    console.error('usage: npm run db:setup -- <database> [<database> …]');
    process.exit(2);
  }
  await setupDatabases({
    adminUrl: process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    role: process.env.PG_APP_ROLE ?? 'crm_app',
    password: process.env.PG_APP_PASSWORD ?? 'crm_app',
    databases,
  });
  console.log(`role ${process.env.PG_APP_ROLE ?? 'crm_app'} and ${databases.length} database(s) ready`);
}
