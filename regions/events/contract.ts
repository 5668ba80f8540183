import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import type { BusEvent, EventBus, SubscribeOptions, Subscription } from './bus.ts';

export type BusContractOptions = {
  /** Whether a republished id is kept from a group that saw it (Kafka keeps no dedupe window). */
  dedupes?: boolean;
  /** Whether one organization's events of different types keep their order (Kafka orders within a type's topic). */
  ordersAcrossTypes?: boolean;
  /** Whether subscribeBatches hands over more than one event at a time (a NATS group has one message in hand). */
  batches?: boolean;
  skip?: boolean;
};

/**
 * What every event bus adapter must do, run against each one (like db/drivers/contract.ts). `open(namespace)`
 * opens a bus on an isolated log (its own schema, stream or topics): the same namespace again is the same log
 * seen from a new process; `cleanup(namespace)` removes it afterwards.
 */
export function busContract(
  name: string,
  open: (namespace: string) => Promise<EventBus>,
  cleanup?: (namespace: string) => Promise<void>,
  options: BusContractOptions = {},
) {
  const { dedupes = true, ordersAcrossTypes = true, batches = true, skip = false } = options;

  describe.skipIf(skip)(`${name} event bus (contract)`, () => {
    const opened: EventBus[] = [];
    const namespaces: string[] = [];
    const subscriptions: Subscription[] = [];

    /** A fresh log; every test has its own, so reruns and parallel files never meet. */
    async function freshLog() {
      const namespace = `t${newId().replace(/-/g, '').slice(-12)}`;
      namespaces.push(namespace);
      return { namespace, bus: await reopen(namespace) };
    }
    async function reopen(namespace: string) {
      const bus = await open(namespace);
      opened.push(bus);
      return bus;
    }
    function collect(bus: EventBus, group: string, options: SubscribeOptions = {}) {
      const seen: BusEvent[] = [];
      const subscription = bus.subscribe(group, { retryDelayMs: 5, ...options }, async (event) => {
        seen.push(event);
      });
      subscriptions.push(subscription);
      return { seen, subscription };
    }

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
      if (cleanup) for (const namespace of namespaces.splice(0)) await cleanup(namespace);
    });

    it('delivers every event in publish order per organization, intact', async () => {
      const { bus } = await freshLog();
      const orgs = [newId(), newId(), newId()];
      const types = ordersAcrossTypes ? ['lead.created', 'lead.updated', 'deal.stage_changed'] : ['lead.updated'];
      const published: BusEvent[] = [];
      for (let call = 0; call < 3; call++) {
        const batch = Array.from({ length: 30 }, (_, i) => event(orgs[i % 3]!, types[i % types.length]!, { call, i }));
        await bus.publish(batch);
        published.push(...batch);
      }
      const { seen } = collect(bus, 'ordered', { batchSize: 7 });
      await eventually(() => seen.length >= published.length);
      expect(seen).toHaveLength(published.length);
      for (const org of orgs) {
        expect(ids(seen.filter((e) => e.organizationId === org))).toEqual(
          ids(published.filter((e) => e.organizationId === org)),
        );
      }
      expect(seen.find((e) => e.id === published[4]!.id)).toEqual(published[4]);
    });

    it('retries a handler that throws until it resolves, keeping the order', async () => {
      const { bus } = await freshLog();
      const org = newId();
      const events = Array.from({ length: 5 }, (_, i) => event(org, 'lead.updated', { i }));
      await bus.publish(events);
      const handled: string[] = [];
      let failures = 0;
      subscriptions.push(
        bus.subscribe('retrying', { maxAttempts: 5, retryDelayMs: 5 }, async (e) => {
          if (e.id === events[1]!.id && failures < 2) {
            failures++;
            throw new Error('not yet');
          }
          handled.push(e.id);
        }),
      );
      await eventually(() => handled.length >= 5);
      expect(handled).toEqual(ids(events));
      expect(failures).toBe(2);
      expect(await bus.deadLetters('retrying')).toEqual([]);
    });

    it('dead-letters an event after maxAttempts and moves on', async () => {
      const { bus } = await freshLog();
      const org = newId();
      const events = Array.from({ length: 3 }, (_, i) => event(org, 'lead.updated', { i }));
      await bus.publish(events);
      const handled: string[] = [];
      let attempts = 0;
      subscriptions.push(
        bus.subscribe('dead', { maxAttempts: 3, retryDelayMs: 5 }, async (e) => {
          if (e.id === events[1]!.id) {
            attempts++;
            throw new Error('poison');
          }
          handled.push(e.id);
        }),
      );
      await eventually(() => handled.length >= 2);
      expect(handled).toEqual([events[0]!.id, events[2]!.id]);
      expect(attempts).toBe(3);
      const letters = await bus.deadLetters('dead');
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ group: 'dead', event: events[1], error: 'poison', attempts: 3 });
      expect(Number.isNaN(Date.parse(letters[0]!.at))).toBe(false);
      await eventually(async () => (await bus.lag('dead')) === 0);
    });

    it('hands a group its waiting events together, in order per organization, at most batchSize at a time', async () => {
      const { bus } = await freshLog();
      const orgs = [newId(), newId(), newId()];
      const published = Array.from({ length: 30 }, (_, i) => event(orgs[i % 3]!, 'lead.updated', { i }));
      await bus.publish(published);
      const handed: BusEvent[][] = [];
      subscriptions.push(
        bus.subscribeBatches('together', { batchSize: 7, retryDelayMs: 5 }, async (events) => {
          handed.push([...events]);
        }),
      );
      await eventually(() => handed.flat().length >= published.length);
      const seen = handed.flat();
      expect(seen).toHaveLength(published.length);
      for (const org of orgs) {
        expect(ids(seen.filter((e) => e.organizationId === org))).toEqual(
          ids(published.filter((e) => e.organizationId === org)),
        );
      }
      expect(Math.max(...handed.map((b) => b.length))).toBeLessThanOrEqual(7);
      if (batches) expect(Math.max(...handed.map((b) => b.length))).toBeGreaterThan(1);
      else expect(handed.every((b) => b.length === 1)).toBe(true);
      await eventually(async () => (await bus.lag('together')) === 0);
    });

    it('handles a batch that throws one event at a time, so only the bad event is retried and dead-lettered', async () => {
      const { bus } = await freshLog();
      const org = newId();
      const published = Array.from({ length: 6 }, (_, i) => event(org, 'lead.updated', { i }));
      const poison = published[3]!;
      await bus.publish(published);
      const settled: string[] = [];
      let poisonAttempts = 0;
      subscriptions.push(
        bus.subscribeBatches('sifting', { batchSize: 10, maxAttempts: 3, retryDelayMs: 5 }, async (events) => {
          if (events.some((e) => e.id === poison.id)) {
            if (events.length === 1) poisonAttempts++;
            throw new Error('poison');
          }
          settled.push(...ids(events));
        }),
      );
      await eventually(() => settled.length >= 5);
      expect(settled).toEqual(ids(published.filter((e) => e !== poison)));
      expect(poisonAttempts).toBe(3);
      const letters = await bus.deadLetters('sifting');
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ group: 'sifting', event: poison, error: 'poison', attempts: 3 });
      await eventually(async () => (await bus.lag('sifting')) === 0);
    });

    it('gives every group every event', async () => {
      const { bus } = await freshLog();
      const events = Array.from({ length: 20 }, (_, i) => event(newId(), 'contact.created', { i }));
      await bus.publish(events);
      const a = collect(bus, 'group-a');
      const b = collect(bus, 'group-b');
      await eventually(() => a.seen.length >= 20 && b.seen.length >= 20);
      expect(ids(a.seen).sort()).toEqual(ids(events).sort());
      expect(ids(b.seen).sort()).toEqual(ids(events).sort());
    });

    it('hands each event of a group to one of its subscribers at a time, and all of them to some', async () => {
      const { namespace, bus } = await freshLog();
      const other = await reopen(namespace);
      const events = Array.from({ length: 120 }, (_, i) => event(newId(), 'lead.created', { i }));
      const counts = new Map<string, number>();
      const inHand = new Set<string>();
      let overlaps = 0;
      const handler = async (e: BusEvent) => {
        if (inHand.has(e.id)) overlaps++;
        inHand.add(e.id);
        await sleep(Math.random() < 0.1 ? 2 : 0);
        inHand.delete(e.id);
        counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
      };
      subscriptions.push(bus.subscribe('shared', { batchSize: 10 }, handler));
      subscriptions.push(other.subscribe('shared', { batchSize: 10 }, handler));
      await bus.publish(events.slice(0, 60));
      await other.publish(events.slice(60));
      await eventually(() => counts.size >= events.length);
      expect(overlaps).toBe(0);
      expect([...counts.keys()].sort()).toEqual(ids(events).sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    });

    it(
      dedupes ? 'does not deliver a republished id twice' : 'delivers a republished id again (no dedupe window)',
      async () => {
        const { bus } = await freshLog();
        const org = newId();
        const [e1, e2, e3, e4] = Array.from({ length: 4 }, (_, i) => event(org, 'lead.updated', { i }));
        await bus.publish([e1!, e2!]);
        await bus.publish([e2!, e3!]);
        await bus.publish([e1!, e4!, e4!]);
        const { seen } = collect(bus, 'dedupe');
        await eventually(() => seen.some((e) => e.id === e4!.id));
        await sleep(200);
        if (dedupes) expect(ids(seen)).toEqual(ids([e1!, e2!, e3!, e4!]));
        else expect(new Set(ids(seen))).toEqual(new Set(ids([e1!, e2!, e3!, e4!])));
      },
    );

    it('continues a stopped group from where it settled, in a new process, losing nothing', async () => {
      const { namespace, bus } = await freshLog();
      const org = newId();
      const events = Array.from({ length: 50 }, (_, i) => event(org, 'lead.updated', { i }));
      await bus.publish(events);
      const first: string[] = [];
      let stopped: Promise<void> | undefined;
      const subscription = bus.subscribe('restart', { batchSize: 8 }, async (e) => {
        first.push(e.id);
        // Stop from inside a handler: the event in hand still settles, nothing after it is taken.
        if (first.length === 20) stopped = subscription.stop();
      });
      await eventually(() => stopped !== undefined);
      await stopped;
      await bus.close();
      expect(first).toEqual(ids(events.slice(0, 20)));

      const later = await reopen(namespace);
      const { seen } = collect(later, 'restart', { batchSize: 8 });
      await eventually(() => seen.length >= 30);
      expect(ids(seen)).toEqual(ids(events.slice(20)));
    });

    it('filters by exact type and by `aggregate.*`', async () => {
      const { bus } = await freshLog();
      const org = newId();
      const types = ['lead.created', 'lead.updated', 'deal.stage_changed', 'contact.created', 'deal.created'];
      const events = types.flatMap((type) => [event(org, type, { n: 1 }), event(org, type, { n: 2 })]);
      await bus.publish(events);
      const leads = collect(bus, 'leads', { types: ['lead.*'] });
      const stages = collect(bus, 'stages', { types: ['deal.stage_changed'] });
      const mixed = collect(bus, 'mixed', { types: ['contact.created', 'lead.created'] });
      const expected = (match: (type: string) => boolean) => ids(events.filter((e) => match(e.type)));
      await eventually(() => leads.seen.length >= 4 && stages.seen.length >= 2 && mixed.seen.length >= 4);
      await eventually(async () =>
        (await Promise.all(['leads', 'stages', 'mixed'].map((g) => bus.lag(g)))).every((n) => n === 0),
      );
      const leadIds = ordersAcrossTypes ? ids(leads.seen) : ids(leads.seen).sort();
      const expectedLeads = expected((t) => t.startsWith('lead.'));
      expect(leadIds).toEqual(ordersAcrossTypes ? expectedLeads : expectedLeads.sort());
      expect(ids(stages.seen)).toEqual(expected((t) => t === 'deal.stage_changed'));
      expect(ids(mixed.seen).sort()).toEqual(expected((t) => t === 'contact.created' || t === 'lead.created').sort());
    });

    it('reports lag: up on publish, back to 0 once settled', async () => {
      const { bus } = await freshLog();
      const org = newId();
      expect(await bus.lag('lagging')).toBe(0);
      const warmup = collect(bus, 'lagging', { types: ['lead.*'] });
      await bus.publish([event(org, 'lead.created', {})]);
      await eventually(() => warmup.seen.length === 1);
      await eventually(async () => (await bus.lag('lagging')) === 0);
      await warmup.subscription.stop();
      await bus.publish([
        ...Array.from({ length: 3 }, () => event(org, 'lead.updated', {})),
        event(org, 'deal.created', {}),
      ]);
      expect(await bus.lag('lagging')).toBe(3);
      const resumed = collect(bus, 'lagging', { types: ['lead.*'] });
      await eventually(() => resumed.seen.length === 3);
      await eventually(async () => (await bus.lag('lagging')) === 0);
    });

    it('carries 5,000 events through one group, in order per organization', async () => {
      const { bus } = await freshLog();
      const orgs = Array.from({ length: 10 }, () => newId());
      const events = Array.from({ length: 5_000 }, (_, i) => event(orgs[i % orgs.length]!, 'lead.updated', { i }));
      const { seen } = collect(bus, 'bulk', { batchSize: 500 });
      for (let i = 0; i < events.length; i += 500) await bus.publish(events.slice(i, i + 500));
      await eventually(() => seen.length >= events.length, 60_000);
      expect(seen).toHaveLength(events.length);
      for (const org of orgs) {
        expect(ids(seen.filter((e) => e.organizationId === org))).toEqual(
          ids(events.filter((e) => e.organizationId === org)),
        );
      }
    });
  });
}

function event(organizationId: string, type: string, payload: unknown): BusEvent {
  return {
    id: newId(),
    type,
    organizationId,
    region: 'us',
    aggregateType: type.split('.')[0]!,
    aggregateId: newId(),
    occurredAt: new Date().toISOString(),
    payload: { ...(payload as object), nested: { list: [1, 'two', null], text: 'é ✓' } },
  };
}

const ids = (events: readonly BusEvent[]) => events.map((e) => e.id);

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
