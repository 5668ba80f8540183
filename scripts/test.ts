import { spawn } from 'node:child_process';
import { testDatabaseNames } from '../test/support/databases.ts';
import { setupDatabases } from './db-setup.ts';
import { answers } from './services.ts';

/**
 * `npm test`: uses the real PostgreSQL, Redis and NATS (JetStream) on 127.0.0.1 when they answer (required when
 * CI=true), otherwise runs the same suites on the embedded defaults, and says which it did.
 */
const ci = process.env.CI === 'true';
const pgHost = process.env.TEST_PG_HOST ?? '127.0.0.1';
const pgPort = Number(process.env.TEST_PG_PORT ?? 5432);
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const env: NodeJS.ProcessEnv = { ...process.env };

const [postgres, redis, nats] = await Promise.all([
  answers(pgHost, pgPort),
  answers(new URL(redisUrl).hostname, Number(new URL(redisUrl).port || 6379)),
  answers(new URL(natsUrl).hostname, Number(new URL(natsUrl).port || 4222)),
]);
if (ci && (!postgres || !redis || !nats)) {
  const state = (up: boolean) => (up ? 'up' : 'DOWN');
  console.error(`CI needs the real servers: PostgreSQL ${state(postgres)}, Redis ${state(redis)}, NATS ${state(nats)}`);
  process.exit(1);
}

if (postgres) {
  const adminUrl = process.env.TEST_PG_ADMIN_URL ?? `postgres://postgres@${pgHost}:${pgPort}/postgres`;
  await setupDatabases({
    adminUrl,
    role: 'crm_app',
    password: 'crm_app',
    databases: testDatabaseNames(),
    recreate: true,
  });
  env.TEST_PG_URL = `postgres://crm_app:crm_app@${pgHost}:${pgPort}/crm_test_directory`;
  env.TEST_PG_ADMIN_URL = adminUrl;
  console.log(
    `integration suites: real PostgreSQL at ${pgHost}:${pgPort} as non-superuser crm_app, ${testDatabaseNames().length} databases`,
  );
} else {
  console.log(`integration suites: embedded PGlite (no PostgreSQL answered on ${pgHost}:${pgPort})`);
}
if (redis) {
  env.TEST_REDIS_URL = redisUrl;
  console.log(`edge store suites: real Redis at ${redisUrl}`);
} else {
  console.log('edge store suites: in-memory only (no Redis answered)');
}
if (nats) env.TEST_NATS_URL = natsUrl;
const kafka = Boolean(process.env.KAFKA_BROKERS);
console.log(
  `event bus contract: postgres-log on ${postgres ? 'PGlite and PostgreSQL' : 'PGlite'}` +
    `${nats ? `, NATS JetStream at ${natsUrl}` : ' (no NATS answered)'}` +
    `${kafka ? `, Kafka at ${process.env.KAFKA_BROKERS}` : ' (Kafka skipped: KAFKA_BROKERS not set)'}`,
);

const vitest = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], {
  env,
  stdio: 'inherit',
});
vitest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
