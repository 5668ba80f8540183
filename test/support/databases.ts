/**
 * Where integration suites keep their data. `scripts/test.ts` sets TEST_PG_URL when a real PostgreSQL answers
 * (always in CI): then every shard and the directory are real databases, reached as the non-superuser `crm_app`.
 * Without it, the same suites run on in-memory PGlite.
 */
export const realPostgres = Boolean(process.env.TEST_PG_URL);

export const TEST_REGIONS = ['us', 'eu'] as const;
export const SHARDS_PER_REGION = 2;

export const testDatabaseNames = () => [
  'crm_test_directory',
  ...TEST_REGIONS.flatMap((region) => Array.from({ length: SHARDS_PER_REGION }, (_, i) => `crm_test_${region}_${i}`)),
];

export function urlFor(database: string): string {
  const url = new URL(process.env.TEST_PG_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

export function shardUrls(region: string): string[] {
  return Array.from({ length: SHARDS_PER_REGION }, (_, i) =>
    realPostgres ? urlFor(`crm_test_${region}_${i}`) : 'pglite:memory:',
  );
}

export const directoryUrl = (): string => (realPostgres ? urlFor('crm_test_directory') : 'pglite:memory:');

/** A superuser URL for tests that must look under RLS (never used by the application itself). */
export const adminUrl = (database: string): string | null => {
  if (!process.env.TEST_PG_ADMIN_URL) return null;
  const url = new URL(process.env.TEST_PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
};

/**
 * Shard databases of a suite's own (`crm_test_<name>_<i>`, made afresh), for suites whose relay and consumers must
 * see only their own events: on the shared shards every suite's relay publishes every suite's outbox rows, and a new
 * consumer group starts with all of them. On PGlite every stack's shards are its own already.
 */
export async function privateShards(name: string, count = SHARDS_PER_REGION): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `crm_test_${name}_${i}`);
  if (!realPostgres) return names.map(() => 'pglite:memory:');
  const { setupDatabases } = await import('../../scripts/db-setup.ts');
  await setupDatabases({
    adminUrl: process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    role: 'crm_app',
    password: 'crm_app',
    databases: names,
    recreate: true,
  });
  return names.map(urlFor);
}
