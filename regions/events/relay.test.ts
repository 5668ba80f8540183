import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { BusEvent } from './bus.ts';
import { acquireRelayLease } from './lease.ts';
import { openPostgresLogBus, type PostgresLogBus } from './postgres-log-bus.ts';
import { outboxBacklog, relayBatch, startRelay } from './relay.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let bus: PostgresLogBus;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let a: Session;
let b: Session;
const received: BusEvent[] = [];

const us = () => stack.regions.us!.ctx.shards;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  [a, b] = await Promise.all([api.signup('relay-a', { region: 'us' }), api.signup('relay-b', { region: 'us' })]);
  // The region's own log: on a shared real database other suites' relays may publish these rows first, into it.
  bus = await openPostgresLogBus(us().all()[0]!.db, { pollIntervalMs: 20 });
});
afterAll(async () => {
  await bus?.close();
  await stack?.stop();
});

async function lead(session: Session, email: string) {
  const made = await api.call('POST', '/api/v1/leads', {
    token: session.token,
    body: { firstName: 'Ada', lastName: 'Relay', email },
  });
  expect(made.status).toBe(201);
  return made.data as { id: string };
}

const waitFor = async (check: () => boolean, ms = 15_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting for events');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('the outbox relay', () => {
  it("publishes every organization's events on a shard, once, in order per record", async () => {
    const subscription = bus.subscribe(`relay-test-${Date.now()}`, { types: ['lead.*'] }, async (event) => {
      received.push(event);
    });
    const leadA = await lead(a, `a-${Date.now()}@example.com`);
    const patched = await api.call('PATCH', `/api/v1/leads/${leadA.id}`, {
      token: a.token,
      body: { title: 'CTO' },
    });
    expect(patched.status, JSON.stringify(patched.data)).toBe(200);
    const leadB = await lead(b, `b-${Date.now()}@example.com`);
    const relay = startRelay({ region: 'us', shards: us().all(), bus, holder: `test-relay-${Date.now()}`, idleMs: 20 });
    try {
      // Another suite's relay may hold the shards' leases; publishing the backlog directly keeps this test its own.
      await relay.drain();
      await waitFor(() => received.some((e) => e.aggregateId === leadB.id), 150_000);
      await waitFor(() => received.filter((e) => e.aggregateId === leadA.id).length >= 2, 150_000);
    } finally {
      await relay.stop();
      await subscription.stop();
    }
    const ofA = received.filter((e) => e.aggregateId === leadA.id);
    const ours = received.filter((e) => e.aggregateId === leadA.id || e.aggregateId === leadB.id);
    expect(ofA.map((e) => e.type)).toEqual(['lead.created', 'lead.updated']);
    expect(ofA.every((e) => e.organizationId === a.organization.id && e.region === 'us')).toBe(true);
    expect(received.find((e) => e.aggregateId === leadB.id)).toMatchObject({
      type: 'lead.created',
      organizationId: b.organization.id,
    });
    expect(new Set(ours.map((e) => e.id)).size).toBe(ours.length);
    for (const shard of us().all()) expect(await outboxBacklog(shard)).toBeLessThan(1000);
  }, 300_000);

  it('republishes a batch whose marking was lost, and the bus still delivers each event once', async () => {
    const made = await lead(a, `again-${Date.now()}@example.com`);
    const shard = us().forOrganization(a.organization.id);
    // Publish without marking, as a relay killed between the two steps would have done.
    const [row] = await us().withTenant(a.organization.id, (tx) =>
      tx.select().from(outbox).where(eq(outbox.aggregateId, made.id)),
    );
    const { toBusEvent } = await import('./relay.ts');
    await bus.publish([toBusEvent('us', row!)]);
    await relayBatch('us', shard, bus, 1000);
    expect(await outboxBacklog(shard)).toBeLessThan(1000);
    const seen: string[] = [];
    const subscription = bus.subscribe(`relay-replay-${Date.now()}`, { types: ['lead.*'] }, async (event) => {
      if (event.aggregateId === made.id) seen.push(event.id);
    });
    await waitFor(() => seen.length > 0, 150_000);
    await new Promise((r) => setTimeout(r, 200));
    await subscription.stop();
    expect(seen).toEqual([row!.id]);
  }, 300_000);

  it('keeps tenant scopes to their own outbox rows (the relay policy needs its own setting)', async () => {
    const rows = await us().withTenant(a.organization.id, (tx) => tx.select().from(outbox));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.organizationId === a.organization.id)).toBe(true);
  });

  it('lets one relay hold a shard at a time, and another take over once the lease runs out', async () => {
    // A shard id of its own: other suites' relays hold the real shards' leases on a shared database.
    const shard = { ...us().all()[1]!, id: `lease-test-${Date.now()}` };
    expect(await acquireRelayLease(shard, 'first', 1)).toBe(true);
    expect(await acquireRelayLease(shard, 'second', 1)).toBe(false);
    expect(await acquireRelayLease(shard, 'first', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await acquireRelayLease(shard, 'second', 5)).toBe(true);
    expect(await acquireRelayLease(shard, 'first', 5)).toBe(false);
  });
});
