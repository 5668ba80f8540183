import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { processedEvents } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { BusEvent } from './bus.ts';
import { applyEachOnce, byOrganization } from './consumer.ts';

let stack: TestStack;
let orgA: string;
let orgB: string;

const shards = () => stack.regions.us!.ctx.shards;

beforeAll(async () => {
  // No workers: the consumer wrapper is called directly, as often as a test likes.
  stack = await startTestStack({ regions: ['us'] });
  const api = apiClient(stack.edgeUrl);
  const [a, b] = await Promise.all([
    api.signup('consumer-a', { region: 'us' }),
    api.signup('consumer-b', { region: 'us' }),
  ]);
  orgA = a.organization.id;
  orgB = b.organization.id;
});
afterAll(() => stack?.stop());

const event = (organizationId: string): BusEvent => ({
  id: newId(),
  type: 'lead.updated',
  organizationId,
  region: 'us',
  aggregateType: 'lead',
  aggregateId: newId(),
  occurredAt: new Date().toISOString(),
  payload: {},
});

const ids = (events: readonly BusEvent[]) => events.map((e) => e.id);

const recorded = (consumer: string, organizationId: string, events: readonly BusEvent[]) =>
  shards().withTenant(organizationId, async (tx) =>
    (
      await tx
        .select({ eventId: processedEvents.eventId })
        .from(processedEvents)
        .where(
          and(
            eq(processedEvents.organizationId, organizationId),
            eq(processedEvents.consumer, consumer),
            inArray(processedEvents.eventId, ids(events)),
          ),
        )
    ).map((row) => row.eventId),
  );

describe('applyEachOnce', () => {
  it('applies each organization’s events together, in order, and never twice', async () => {
    const consumer = `batch-${newId().slice(-8)}`;
    const calls: { organizationId: string; ids: string[] }[] = [];
    const apply = applyEachOnce(shards(), consumer, async (_tx, events) => {
      calls.push({ organizationId: events[0]!.organizationId, ids: ids(events) });
    });
    const [a1, b1, a2, a3] = [event(orgA), event(orgB), event(orgA), event(orgA)];
    expect(ids(await apply([a1!, b1!, a2!]))).toEqual(ids([a1!, a2!, b1!]));
    expect(calls).toEqual([
      { organizationId: orgA, ids: ids([a1!, a2!]) },
      { organizationId: orgB, ids: ids([b1!]) },
    ]);
    // A redelivery with one new event, and that event twice: only it applies, once.
    calls.length = 0;
    expect(ids(await apply([a1!, a2!, a3!, a3!, b1!]))).toEqual(ids([a3!]));
    expect(calls).toEqual([{ organizationId: orgA, ids: ids([a3!]) }]);
    expect(await apply([a3!])).toEqual([]);
  });

  it('keeps an organization whose effect throws unapplied, and the others applied, so a retry redoes only it', async () => {
    const consumer = `throw-${newId().slice(-8)}`;
    const a = [event(orgA), event(orgA)];
    const b = [event(orgB), event(orgB)];
    const failing = applyEachOnce(shards(), consumer, async (_tx, events) => {
      if (events[0]!.organizationId === orgB) throw new Error('refused');
    });
    await expect(failing([...a, ...b])).rejects.toThrow('refused');
    expect((await recorded(consumer, orgA, a)).sort()).toEqual(ids(a).sort());
    expect(await recorded(consumer, orgB, b)).toEqual([]);
    const retried: string[] = [];
    const retry = applyEachOnce(shards(), consumer, async (_tx, events) => {
      retried.push(...ids(events));
    });
    for (const e of [...a, ...b]) await retry([e]);
    expect(retried).toEqual(ids(b));
  });

  it('records each event under the organization it names, visible to that organization only', async () => {
    const consumer = `split-${newId().slice(-8)}`;
    const forged = [event(orgA), event(orgB)];
    const seen: string[] = [];
    await applyEachOnce(shards(), consumer, async (_tx, events) => {
      seen.push(...events.map((e) => e.organizationId));
    })(forged);
    expect(seen).toEqual([orgA, orgB]);
    expect(await recorded(consumer, orgA, forged)).toEqual([forged[0]!.id]);
    expect(await recorded(consumer, orgB, forged)).toEqual([forged[1]!.id]);
  });
});

describe('byOrganization', () => {
  it('groups events by organization, keeping their order and the order organizations first came', () => {
    const [a1, b1, a2, c1, b2] = [event('a'), event('b'), event('a'), event('c'), event('b')];
    expect([...byOrganization([a1!, b1!, a2!, c1!, b2!])].map(([org, own]) => [org, ids(own)])).toEqual([
      ['a', ids([a1!, a2!])],
      ['b', ids([b1!, b2!])],
      ['c', ids([c1!])],
    ]);
  });
});
