import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase, Connection } from '../../db/database.ts';
import { openPg } from '../../db/drivers/pg.ts';
import { openPglite } from '../../db/drivers/pglite.ts';
import { newId } from '../../db/ids.ts';
import { rowsOf } from '../../db/rows.ts';
import type { BusEvent } from './bus.ts';
import { openEventBus } from './open-bus.ts';
import { openPostgresLogBus } from './postgres-log-bus.ts';
import { dropLogSchema } from './postgres-log-schema.ts';

// What the contract cannot say about the Postgres log: concurrent setup, a killed process, pruning; and how
// openEventBus reads its settings. On real PostgreSQL when TEST_PG_URL is set, else on PGlite.
const quiet = () => {};
let connection: Connection;
beforeAll(async () => {
  if (process.env.TEST_PG_URL) {
    connection = await openPg('bus-log-pg', process.env.TEST_PG_URL, 6);
  } else {
    connection = await openPglite('bus-log-pglite', 'memory:');
    await connection.db.execute(sql`CREATE ROLE crm_app NOLOGIN`);
    await connection.db.execute(sql`SET ROLE crm_app`);
  }
});
afterAll(() => connection?.close());

const schemaName = () => `bus_${newId().replace(/-/g, '').slice(-12)}`;
const event = (i: number): BusEvent => ({
  id: newId(),
  type: 'lead.updated',
  organizationId: '0190c6a4-0000-7000-8000-000000000001',
  region: 'us',
  aggregateType: 'lead',
  aggregateId: newId(),
  occurredAt: new Date().toISOString(),
  payload: { i },
});
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  for (const deadline = Date.now() + timeoutMs; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The database as a process sees it, until `kill()`: then every query fails, as if the process had died. */
function killable(db: AppDatabase) {
  let killed = false;
  const proxy = new Proxy(db, {
    get(target, property) {
      if (killed && (property === 'execute' || property === 'transaction')) {
        return () => Promise.reject(new Error('killed'));
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, kill: () => (killed = true) };
}

describe('postgres-log bus', () => {
  it('creates its schema once when several processes open it at the same time', async () => {
    const schema = schemaName();
    const buses = await Promise.all(Array.from({ length: 4 }, () => openPostgresLogBus(connection.db, { schema })));
    await buses[0]!.publish([event(0)]);
    await Promise.all(buses.map((bus) => bus.close()));
    await dropLogSchema(connection.db, schema);
  });

  it("lets another process take over a killed one's group after its lease, from its last checkpoint", async () => {
    const schema = schemaName();
    const events = Array.from({ length: 12 }, (_, i) => event(i));
    const dying = killable(connection.db);
    const options = { schema, pollIntervalMs: 20, leaseMs: 600, commitIntervalMs: 50, onError: quiet };
    const first = await openPostgresLogBus(dying.db, options);
    await first.publish(events);
    const handledFirst: string[] = [];
    let release = () => {};
    const stuck = first.subscribe('takeover', {}, async (e) => {
      if (handledFirst.length === 5) await new Promise<void>((resolve) => (release = resolve));
      handledFirst.push(e.id);
    });
    await until(() => handledFirst.length === 5);
    await until(async () => (await first.lag('takeover')) === 7); // the checkpoint committed the five
    dying.kill();

    const second = await openPostgresLogBus(connection.db, options);
    const handledSecond: string[] = [];
    const taken = second.subscribe('takeover', {}, async (e) => {
      handledSecond.push(e.id);
    });
    await until(() => handledSecond.length === 7);
    expect(handledSecond).toEqual(events.slice(5).map((e) => e.id));
    await taken.stop();
    release();
    await stuck.stop();
    await Promise.all([first.close(), second.close()]);
    await dropLogSchema(connection.db, schema);
  });

  it('prunes only events every group has passed and older than the cut-off', async () => {
    const schema = schemaName();
    const bus = await openPostgresLogBus(connection.db, { schema, pollIntervalMs: 10 });
    await bus.publish([event(0), event(1), event(2)]);
    let handled = 0;
    const subscription = bus.subscribe('pruner', {}, async () => {
      handled++;
      if (handled === 2) void subscription.stop();
    });
    await until(() => handled === 2);
    await subscription.stop();
    expect(await bus.prune(new Date(Date.now() - 60_000))).toBe(0);
    expect(await bus.prune(new Date(Date.now() + 60_000))).toBe(2);
    const [left] = await rowsOf<{ n: number }>(
      connection.db,
      sql`SELECT count(*)::int AS n FROM ${sql.identifier(schema)}.events`,
    );
    expect(left?.n).toBe(1);
    expect(await bus.lag('pruner')).toBe(1);
    await bus.close();
    await dropLogSchema(connection.db, schema);
  });
});

describe('openEventBus', () => {
  it('opens the Postgres log by default, in the crm_bus schema', async () => {
    const present = async () =>
      (await rowsOf<{ ok: boolean }>(connection.db, sql`SELECT to_regclass('crm_bus.events') IS NOT NULL AS ok`))[0]
        ?.ok;
    const existed = await present();
    const bus = await openEventBus({}, connection.db);
    expect(bus.kind).toBe('postgres-log');
    await bus.close();
    expect(await present()).toBe(true);
    // Leave a log that was there before (another suite's) as it was.
    if (!existed) await dropLogSchema(connection.db, 'crm_bus');
  });

  it('refuses bad settings at start, naming them', async () => {
    await expect(openEventBus({ EVENT_BUS: 'rabbit' }, connection.db)).rejects.toThrow(/EVENT_BUS: "rabbit"/);
    await expect(openEventBus({ EVENT_BUS: 'nats' }, connection.db)).rejects.toThrow(/NATS_URL is required/);
    await expect(openEventBus({ EVENT_BUS: 'nats', NATS_URL: 'http://x' }, connection.db)).rejects.toThrow(/NATS_URL/);
    await expect(
      openEventBus({ EVENT_BUS: 'nats', NATS_URL: 'nats://127.0.0.1:4222', NATS_STREAM: 'a.b' }, connection.db),
    ).rejects.toThrow(/NATS_STREAM/);
    await expect(
      openEventBus({ EVENT_BUS: 'nats', NATS_URL: 'nats://127.0.0.1:4222', NATS_ACK_WAIT_MS: '5s' }, connection.db),
    ).rejects.toThrow(/NATS_ACK_WAIT_MS/);
    await expect(openEventBus({ EVENT_BUS: 'nats', NATS_URL: 'nats://127.0.0.1:1' }, connection.db)).rejects.toThrow(
      /EVENT_BUS=nats: cannot open JetStream/,
    );
    await expect(openEventBus({ EVENT_BUS: 'kafka' }, connection.db)).rejects.toThrow(/KAFKA_BROKERS is required/);
    await expect(openEventBus({ EVENT_BUS: 'kafka', KAFKA_BROKERS: 'kafka://x' }, connection.db)).rejects.toThrow(
      /KAFKA_BROKERS: "kafka:\/\/x" is not host:port/,
    );
  });
});
