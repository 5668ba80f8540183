import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { rowsOf } from '../../db/rows.ts';
import {
  assignmentCursors,
  assignmentRuleMembers,
  assignmentRules,
  leadAssignments,
  leads,
  outbox,
  repAvailability,
} from '../../db/schema/index.ts';
import { toBusEvent } from '../../regions/events/relay.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { dispatchHandler } from './index.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let admin: Session;
let manager: Member;
let rep: Member;
let other: Session;

const shards = () => stack.regions.us!.ctx.shards;

beforeAll(async () => {
  // No workers: the handler is called directly with the events the relay would publish, as often as a test likes.
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  [admin, other] = await Promise.all([
    api.signup('handler-admin', { region: 'us' }),
    api.signup('handler-other', { region: 'us' }),
  ]);
  [manager, rep] = await Promise.all([api.member(admin.token, 'manager'), api.member(admin.token, 'sales_rep')]);
});
afterAll(() => stack?.stop());

const createRule = async (token: string, body: Record<string, unknown>) => {
  const made = await api.call('POST', '/api/v1/assignment-rules', { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; version: number; position: number };
};

describe('the dispatch handler', () => {
  it('assigns a lead once however often its event is delivered, and explains it', async () => {
    const rule = await createRule(admin.token, {
      name: 'Everyone',
      strategy: 'round_robin',
      members: [{ userId: rep.user.id }, { userId: manager.user.id }],
    });
    const made = await api.call('POST', '/api/v1/leads', {
      token: admin.token,
      body: { firstName: 'Once', email: `once-${Date.now()}@example.com`, country: 'DE' },
    });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data).toMatchObject({ country: 'DE', region: null, industry: null, ownerId: null });
    const org = admin.organization.id;
    const [row] = await shards().withTenant(org, (tx) =>
      tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.aggregateId, made.data.id), eq(outbox.eventType, 'lead.created'))),
    );
    const event = toBusEvent('us', row!);
    const handle = dispatchHandler(shards());
    // On a shared real database another suite's dispatch worker may be handling this very event as well (its relay
    // publishes every organization's outbox): at most one of all these deliveries applies it.
    const results = await Promise.all([handle(event), handle(event)]);
    const applied = results.filter((r) => r !== null);
    expect(applied.length).toBeLessThanOrEqual(1);
    for (const r of applied) expect(r).toEqual([{ leadId: made.data.id, ownerId: rep.user.id, ruleId: rule.id }]);
    expect(await handle(event)).toBeNull();
    // Another event naming the same lead finds it owned and leaves it alone.
    expect(await handle({ ...event, id: crypto.randomUUID() })).toEqual([]);

    const lead = await api.call('GET', `/api/v1/leads/${made.data.id}`, { token: admin.token });
    expect(lead.data).toMatchObject({ ownerId: rep.user.id, version: 2 });
    const logged = await shards().withTenant(org, (tx) =>
      tx.select().from(leadAssignments).where(eq(leadAssignments.leadId, made.data.id)),
    );
    expect(logged).toHaveLength(1);
    const written = await shards().withTenant(org, (tx) =>
      tx.select().from(outbox).where(eq(outbox.aggregateId, made.data.id)),
    );
    expect(written.map((e) => e.eventType).sort()).toEqual(['lead.assigned', 'lead.created', 'lead.updated']);
    expect(written.find((e) => e.eventType === 'lead.assigned')!.payload).toMatchObject({
      leadId: made.data.id,
      from: null,
      to: rep.user.id,
      ruleId: rule.id,
      explanation: { outcome: 'assigned', ownerId: rep.user.id },
    });

    const explained = await api.call('GET', `/api/v1/leads/${made.data.id}/assignment`, { token: rep.token });
    expect(explained.status, JSON.stringify(explained.data)).toBe(200);
    expect(explained.data).toMatchObject({
      leadId: made.data.id,
      ruleId: rule.id,
      ownerId: rep.user.id,
      explanation: {
        outcome: 'assigned',
        summary: expect.stringContaining('by rule "Everyone" (round robin)'),
        rules: [{ ruleId: rule.id, matched: true, candidates: [{ userId: rep.user.id, outcome: 'chosen' }, {}] }],
      },
    });
    expectError(await api.call('GET', `/api/v1/leads/${made.data.id}/assignment`, { token: other.token }), 404);
    const unplaced = await api.call('POST', '/api/v1/leads', {
      token: admin.token,
      body: { firstName: 'Never', ownerId: manager.user.id },
    });
    expectError(await api.call('GET', `/api/v1/leads/${unplaced.data.id}/assignment`, { token: admin.token }), 404);
  });

  it('takes turns under the rule lock when events are handled at the same time', async () => {
    const fresh = await api.signup('ar-lock', { region: 'us' });
    const reps = await Promise.all([1, 2, 3].map(() => api.member(fresh.token, 'sales_rep')));
    await createRule(fresh.token, {
      name: 'Rotation',
      strategy: 'round_robin',
      members: reps.map((r) => ({ userId: r.user.id })),
    });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const made = await api.call('POST', '/api/v1/leads', { token: fresh.token, body: { firstName: `Lock ${i}` } });
      ids.push(made.data.id);
    }
    const org = fresh.organization.id;
    const rows = await shards().withTenant(org, (tx) =>
      tx.select().from(outbox).where(eq(outbox.eventType, 'lead.created')),
    );
    const handle = dispatchHandler(shards());
    await Promise.all(rows.map((row) => handle(toBusEvent('us', row))));
    const owned = await shards().withTenant(org, (tx) => tx.select({ ownerId: leads.ownerId }).from(leads));
    const counts = reps.map((r) => owned.filter((l) => l.ownerId === r.user.id).length);
    expect(counts).toEqual([2, 2, 2]);
  });

  it('places every lead an import batch created, in one transaction, continuing the rotation', async () => {
    const org = admin.organization.id;
    // Written as an import writes them: rows without events of their own, named by the batch's progress event.
    const ids = [0, 1, 2, 3].map(() => newId());
    await shards().withTenant(org, (tx) =>
      tx.insert(leads).values(ids.map((id, i) => ({ organizationId: org, id, firstName: `Imported ${i}` }))),
    );
    const [rule] = await shards().withTenant(org, (tx) => tx.select().from(assignmentRules));
    const progress = {
      id: crypto.randomUUID(),
      type: 'import.progress',
      organizationId: org,
      region: 'us',
      aggregateType: 'import',
      aggregateId: crypto.randomUUID(),
      occurredAt: new Date().toISOString(),
      payload: { entity: 'lead', createdIds: ids },
    };
    const placed = await dispatchHandler(shards())(progress);
    // The rotation chose the rep last (the lead above), so it goes on with the manager.
    const turns = [manager.user.id, rep.user.id, manager.user.id, rep.user.id];
    expect(placed).toEqual(ids.map((leadId, i) => ({ leadId, ownerId: turns[i], ruleId: rule!.id })));
    const [cursor] = await shards().withTenant(org, (tx) =>
      tx.select().from(assignmentCursors).where(eq(assignmentCursors.ruleId, rule!.id)),
    );
    expect(cursor).toMatchObject({ lastUserId: rep.user.id, assignedCount: 5 });
  });

  it("hides every dispatch table's rows from another organization's scope (row-level security)", async () => {
    const set = await api.call('PUT', `/api/v1/users/${rep.user.id}/availability`, {
      token: rep.token,
      body: { away: false, maxOpenLeads: 50 },
    });
    expect(set.status).toBe(200);
    const tables = { assignmentRules, assignmentRuleMembers, assignmentCursors, repAvailability, leadAssignments };
    const a = admin.organization.id;
    for (const [name, table] of Object.entries(tables)) {
      const own = await shards().withTenant(a, (tx) => tx.select().from(table).where(eq(table.organizationId, a)));
      expect(own.length, name).toBeGreaterThan(0);
      const seen = await shards().withTenant(other.organization.id, (tx) =>
        tx.select().from(table).where(eq(table.organizationId, a)),
      );
      expect(seen, name).toEqual([]);
    }
    const flags = await shards().withTenant(a, (tx) =>
      rowsOf<{ enabled: boolean; forced: boolean }>(
        tx,
        sql`SELECT relname, relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class
        WHERE relname IN ('assignment_rules', 'assignment_rule_members', 'assignment_cursors', 'rep_availability',
                          'lead_assignments') AND relkind = 'r'`,
      ),
    );
    expect(flags).toHaveLength(5);
    expect(flags.every((r) => r.enabled && r.forced)).toBe(true);
  });
});
