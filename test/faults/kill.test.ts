import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { auditLog, outbox, processedEvents } from '../../db/schema/index.ts';
import { ShardSet } from '../../db/shard-set.ts';
import type { BusEvent, EventBus } from '../../regions/events/bus.ts';
import { openEventBus } from '../../regions/events/open-bus.ts';
import { privateShards, realPostgres } from '../support/databases.ts';
import { type Child, kill, startProcess, waitUntil } from './processes.ts';

/**
 * Kills the relay and a consumer with SIGKILL in the middle of their work, restarts them, and proves that no event
 * was lost and none applied twice. Real processes on the real PostgreSQL shards, over NATS JetStream when it runs
 * (always in CI), otherwise the Postgres log; skipped on PGlite, whose databases live inside one process.
 */
const stamp = `${Date.now()}`;
const busEnv: NodeJS.ProcessEnv = process.env.TEST_NATS_URL
  ? {
      EVENT_BUS: 'nats',
      NATS_URL: process.env.TEST_NATS_URL,
      NATS_STREAM: `FAULTS_${stamp}`,
      NATS_SUBJECT_ROOT: `faults-${stamp}`,
      // A killed consumer's message comes back after the ack wait: 5 s rather than the default 30.
      NATS_ACK_WAIT_MS: '5000',
    }
  : { EVENT_BUS: 'postgres', EVENT_LOG_SCHEMA: `faults_${stamp}` };
// Shards of their own (set up in beforeAll): the relay publishes every row of a shard's outbox, so on the shared test
// shards another suite's relay could hold a shard's lease and publish these events to its own bus.
let urls: string[] = [];
let env: NodeJS.ProcessEnv = {};

let shards: ShardSet;
let bus: EventBus;
const children: Child[] = [];

beforeAll(async () => {
  if (!realPostgres) return;
  urls = await privateShards('faults');
  env = { REGION: 'us', SHARD_URLS: urls.join(','), ...busEnv };
  shards = await ShardSet.open(
    'us',
    urls.map((url, i) => ({ id: `us-${i}`, url })),
    4,
  );
  bus = await openEventBus(env, shards.all()[0]!.db, undefined, 'us');
}, 120_000);
afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL');
  await bus?.close();
  await shards?.close();
});

async function fillOutbox(organizationId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  await shards.withTenant(organizationId, async (tx) => {
    for (let start = 0; start < count; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
        const id = newId();
        ids.push(id);
        return {
          organizationId,
          id,
          aggregateType: 'fault',
          aggregateId: organizationId,
          eventType: 'fault.recorded',
          payload: { n: start + i },
        };
      });
      await tx.insert(outbox).values(rows);
    }
  });
  return ids;
}

const unpublished = (organizationId: string) =>
  shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(and(eq(outbox.organizationId, organizationId), sql`${outbox.publishedAt} IS NULL`));
    return row?.n ?? 0;
  });

describe.skipIf(!realPostgres)('fault tolerance under SIGKILL', () => {
  it('loses no event and duplicates none when the relay is killed mid-batch and restarted', async () => {
    const organizationId = newId();
    const total = 20_000;
    const ids = await fillOutbox(organizationId, total);
    const seen = new Map<string, number>();
    const subscription = bus.subscribe(`relay-fault-${stamp}`, { types: ['fault.*'], batchSize: 500 }, async (e) => {
      if (e.organizationId === organizationId) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    });
    const relayEnv = { ...env, RELAY_BATCH_SIZE: '200', RELAY_LEASE_SECONDS: '2' };
    for (let round = 0; round < 2; round++) {
      const before = await unpublished(organizationId);
      const relay = await startProcess('workers/main.ts', ['relay'], relayEnv, /workers relay running/);
      children.push(relay);
      await waitUntil(async () => (await unpublished(organizationId)) < before - 2_000, 'the relay to make progress');
      await kill(relay);
    }
    const relay = await startProcess('workers/main.ts', ['relay'], relayEnv, /workers relay running/);
    children.push(relay);
    await waitUntil(async () => (await unpublished(organizationId)) === 0, 'the outbox to drain');
    await waitUntil(async () => seen.size === total, 'every event to arrive');
    relay.process.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    await subscription.stop();
    expect([...seen.keys()].sort()).toEqual([...ids].sort());
    const redelivered = [...seen.values()].filter((n) => n > 1).length;
    // JetStream drops a republished id inside its duplicate window and the Postgres log by its unique id.
    expect(redelivered).toBe(0);
  }, 300_000);

  it('applies every event exactly once when a consumer is killed mid-batch and restarted', async () => {
    const organizationId = newId();
    const total = 1_500;
    const events: BusEvent[] = Array.from({ length: total }, (_, n) => ({
      id: newId(),
      // Not the relay test's `fault.recorded`: the consumer's new group would otherwise start with its 20,000 events.
      type: 'fault.consumed',
      organizationId,
      region: 'us',
      aggregateType: 'fault',
      aggregateId: organizationId,
      occurredAt: new Date().toISOString(),
      payload: { n },
    }));
    await bus.publish(events);
    const consumerEnv = { ...env, FAULT_GROUP: `consumer-fault-${stamp}`, FAULT_DELAY_MS: '3' };
    const applied = () =>
      shards.withTenant(organizationId, async (tx) => {
        const [row] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(processedEvents)
          .where(and(eq(processedEvents.organizationId, organizationId), eq(processedEvents.consumer, 'fault-probe')));
        return row?.n ?? 0;
      });
    for (let round = 0; round < 2; round++) {
      const before = await applied();
      const consumer = await startProcess('test/faults/consumer-process.ts', [], consumerEnv, /consumer ready/);
      children.push(consumer);
      await waitUntil(
        async () => (await applied()) > before + 150,
        'the consumer to make progress',
        // JetStream redelivers what a killed consumer held only after its ack wait (5 s here); a loaded CI machine is slow.
        300_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; consumer said:\n${consumer.output()}`);
      });
      await kill(consumer);
    }
    const consumer = await startProcess('test/faults/consumer-process.ts', [], consumerEnv, /consumer ready/);
    children.push(consumer);
    await waitUntil(async () => (await applied()) === total, 'every event to be applied', 300_000);
    consumer.process.kill('SIGKILL');
    const effects = await shards.withTenant(organizationId, (tx) =>
      tx
        .select({ target: auditLog.targetId, n: sql<number>`count(*)::int` })
        .from(auditLog)
        .where(
          and(
            eq(auditLog.organizationId, organizationId),
            eq(auditLog.action, 'fault.applied'),
            inArray(
              auditLog.targetId,
              events.map((e) => e.id),
            ),
          ),
        )
        .groupBy(auditLog.targetId),
    );
    expect(effects.length).toBe(total);
    expect(effects.every((row) => row.n === 1)).toBe(true);
  }, 1_200_000);
});
