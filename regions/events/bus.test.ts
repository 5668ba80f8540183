import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import type { Connection } from '../../db/database.ts';
import { openNeon } from '../../db/drivers/neon.ts';
import { openPg } from '../../db/drivers/pg.ts';
import { openPglite } from '../../db/drivers/pglite.ts';
import { startNeonWsProxy } from '../../test/support/neon-ws-proxy.ts';
import { busContract } from './contract.ts';
import { openKafkaBus } from './kafka-bus.ts';
import { openNatsBus } from './nats-bus.ts';
import { openPostgresLogBus } from './postgres-log-bus.ts';
import { dropLogSchema } from './postgres-log-schema.ts';

// The Postgres log always runs on PGlite; on real PostgreSQL when `npm test` found one (TEST_PG_URL, in the
// directory database: the log keeps to its own schema), on NATS when TEST_NATS_URL is set, on Kafka when
// KAFKA_BROKERS is set. A skipped run says so in the report.
const pgUrl = process.env.TEST_PG_URL ?? '';
const natsUrl = process.env.TEST_NATS_URL ?? '';
const kafkaBrokers = process.env.KAFKA_BROKERS ?? '';

let pglite: Connection | undefined;
let pg: Connection | undefined;
let neon: Connection | undefined;
let proxy: Awaited<ReturnType<typeof startNeonWsProxy>> | undefined;
beforeAll(async () => {
  pglite = await openPglite('bus-pglite', 'memory:');
  // The app role under a superuser session, as the embedded databases run, here without CREATE on the database:
  // the log then creates its tables as the session user and grants them to the role.
  await pglite.db.execute(sql`CREATE ROLE crm_app NOLOGIN`);
  await pglite.db.execute(sql`SET ROLE crm_app`);
  if (pgUrl) {
    pg = await openPg('bus-pg', pgUrl, 6);
    proxy = await startNeonWsProxy();
    neon = await openNeon('bus-neon', pgUrl, 6, proxy.address);
  }
});
afterAll(async () => {
  await pglite?.close();
  await pg?.close();
  await neon?.close();
  await proxy?.close();
});

const postgresLog = (connection: () => Connection | undefined) => (namespace: string) =>
  openPostgresLogBus(connection()!.db, { schema: `bus_${namespace}`, pollIntervalMs: 20, leaseMs: 5_000 });
const dropLog = (connection: () => Connection | undefined) => (namespace: string) =>
  dropLogSchema(connection()!.db, `bus_${namespace}`);

busContract(
  'postgres-log on PGlite',
  postgresLog(() => pglite),
  dropLog(() => pglite),
);
busContract(
  'postgres-log on PostgreSQL',
  postgresLog(() => pg),
  dropLog(() => pg),
  { skip: !pgUrl },
);
busContract(
  'postgres-log on PostgreSQL through Neon',
  postgresLog(() => neon),
  dropLog(() => neon),
  {
    skip: !pgUrl,
  },
);
busContract(
  'NATS JetStream',
  (namespace) =>
    openNatsBus({ servers: natsUrl, stream: `TEST_${namespace}`, subjectRoot: namespace, ackWaitMs: 5_000 }),
  async (namespace) => {
    const { connect } = await import('@nats-io/transport-node');
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    for (const stream of [`TEST_${namespace}`, `TEST_${namespace}_DEADLETTER`]) await jsm.streams.delete(stream);
    await nc.close();
  },
  { skip: !natsUrl, batches: false },
);
busContract(
  'Kafka',
  (namespace) =>
    openKafkaBus({
      brokers: kafkaBrokers.split(','),
      clientId: 'crm-bus-test',
      topicPrefix: namespace,
      topicRefreshMs: 500,
      sessionTimeoutMs: 6_000,
      // librdkafka's mock cluster (KAFKA_TEST_MOCK=1) names no controller: no CreateTopics, no idempotent producer.
      ...(process.env.KAFKA_TEST_MOCK === '1' ? { manageTopics: false, idempotent: false } : {}),
    }),
  undefined,
  { skip: !kafkaBrokers, dedupes: false, ordersAcrossTypes: false },
);

afterAll(() => {
  const ran = [
    'postgres-log on PGlite',
    pgUrl && 'postgres-log on PostgreSQL (pg and Neon)',
    natsUrl && 'NATS',
    kafkaBrokers && 'Kafka',
  ];
  console.log(`event bus contract ran on: ${ran.filter(Boolean).join(', ')}`);
});
