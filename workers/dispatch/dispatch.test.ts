import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadAssignments, outbox } from '../../db/schema/index.ts';
import { toBusEvent } from '../../regions/events/relay.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { Explanation } from './choose.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let admin: Session;
let reps: Member[];
let dach: Member;
let other: Session;
let otherRep: Member;
let rotation: string;

const shards = () => stack.regions.us!.ctx.shards;

beforeAll(async () => {
  // The relay publishes the outbox to the bus and dispatch consumes it, as in a region process. The edge's read
  // cache is off: dispatch writes behind the edge's back, and these tests read its result at once.
  stack = await startTestStack({ regions: ['us'], workers: 'relay,dispatch', edge: { cacheTtlSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  [admin, other] = await Promise.all([
    api.signup('dispatch', { region: 'us' }),
    api.signup('dispatch-other', { region: 'us' }),
  ]);
  [dach, otherRep, ...reps] = await Promise.all([
    api.member(admin.token, 'sales_rep', 'dach'),
    api.member(other.token, 'sales_rep'),
    ...[1, 2, 3].map((i) => api.member(admin.token, i === 3 ? 'manager' : 'sales_rep', `rep${i}`)),
  ]);
  const territory = await api.call('POST', '/api/v1/assignment-rules', {
    token: admin.token,
    body: {
      name: 'DACH',
      strategy: 'round_robin',
      conditions: { countries: ['DE', 'AT', 'CH'] },
      members: [{ userId: dach.user.id }],
    },
  });
  expect(territory.status, JSON.stringify(territory.data)).toBe(201);
  const everyone = await api.call('POST', '/api/v1/assignment-rules', {
    token: admin.token,
    body: { name: 'Rotation', strategy: 'round_robin', members: reps.map((r) => ({ userId: r.user.id })) },
  });
  expect(everyone.status, JSON.stringify(everyone.data)).toBe(201);
  rotation = everyone.data.id;
});
afterAll(() => stack?.stop());

const newLead = async (session: { token: string }, body: Record<string, unknown> = {}) => {
  const made = await api.call('POST', '/api/v1/leads', {
    token: session.token,
    body: { firstName: 'Dispatch', email: `${api.unique('lead')}@example.com`, ...body },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; ownerId: string | null };
};

/** The lead's assignment, once dispatch has made it (the worker runs behind the relay, within seconds). */
type LeadAssignment = {
  id: string;
  leadId: string;
  ruleId: string | null;
  ownerId: string | null;
  explanation: Explanation;
};

async function assignment(token: string, leadId: string, ms = 20_000): Promise<LeadAssignment> {
  const until = Date.now() + ms;
  for (;;) {
    const reply = await api.call('GET', `/api/v1/leads/${leadId}/assignment`, { token });
    if (reply.status === 200) return reply.data as LeadAssignment;
    expect(reply.status, JSON.stringify(reply.data)).toBe(404);
    if (Date.now() > until) throw new Error(`lead ${leadId} was not dispatched within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ownerOf = async (leadId: string) =>
  (await api.call('GET', `/api/v1/leads/${leadId}`, { token: admin.token })).data.ownerId as string | null;

describe('the dispatch worker', () => {
  it('shares 9 new leads 3/3/3 by round robin, within seconds of their creation', async () => {
    const made: { id: string }[] = [];
    for (let i = 0; i < 9; i++) made.push(await newLead(admin));
    const owners: (string | null)[] = [];
    for (const [i, lead] of made.entries()) {
      const placed = await assignment(admin.token, lead.id, i === 0 ? 90_000 : 20_000);
      expect(placed.ruleId).toBe(rotation);
      owners.push(placed.ownerId);
      expect(await ownerOf(lead.id)).toBe(placed.ownerId);
    }
    expect(reps.map((r) => owners.filter((o) => o === r.user.id).length)).toEqual([3, 3, 3]);
    expect(owners.slice(0, 3)).toEqual(reps.map((r) => r.user.id));
  }, 150_000);

  it('sends a German lead to the DACH rep, and explains why through the API', async () => {
    const lead = await newLead(admin, { country: 'DE', region: 'Bavaria', industry: 'Manufacturing' });
    const placed = await assignment(admin.token, lead.id);
    expect(placed.ownerId).toBe(dach.user.id);
    expect(placed.explanation).toMatchObject({
      outcome: 'assigned',
      summary: `Assigned to ${dach.email} by rule "DACH" (round robin)`,
      rules: [
        {
          name: 'DACH',
          matched: true,
          detail: 'country DE is one of DE, AT, CH',
          candidates: [{ userId: dach.user.id, outcome: 'chosen', reason: null }],
        },
      ],
    });
    // The rep it went to can read why; a US lead passes the territory rule by, saying so.
    expect((await api.call('GET', `/api/v1/leads/${lead.id}/assignment`, { token: dach.token })).status).toBe(200);
    const us = await assignment(admin.token, (await newLead(admin, { country: 'US' })).id);
    expect(us.explanation.rules[0]).toMatchObject({
      name: 'DACH',
      matched: false,
      detail: 'country US is not one of DE, AT, CH',
    });
    expect(us.ruleId).toBe(rotation);
  });

  it('skips a rep who is away and a rep at their limit, and says so', async () => {
    const [first, second, third] = reps as [Member, Member, Member];
    // The rotation's last choice was the US lead's owner; set the two reps after it aside.
    const open = (await api.call('GET', `/api/v1/users/${second.user.id}/availability`, { token: admin.token })).data;
    const away = await api.call('PUT', `/api/v1/users/${first.user.id}/availability`, {
      token: first.token,
      body: { away: true },
    });
    expect(away.status, JSON.stringify(away.data)).toBe(200);
    const capped = await api.call('PUT', `/api/v1/users/${second.user.id}/availability`, {
      token: admin.token,
      body: { away: false, maxOpenLeads: open.openLeads },
    });
    expect(capped.data).toMatchObject({ available: false, maxOpenLeads: open.openLeads });
    const placed: LeadAssignment[] = [];
    for (let i = 0; i < 3; i++) placed.push(await assignment(admin.token, (await newLead(admin)).id));
    expect(placed.map((p) => p.ownerId)).toEqual([third.user.id, third.user.id, third.user.id]);
    const candidates = placed[0]!.explanation.rules[1]!.candidates;
    expect(Object.fromEntries(candidates.map((c) => [c.userId, c.reason]))).toEqual({
      [first.user.id]: 'away',
      [second.user.id]: 'at_capacity',
      [third.user.id]: null,
    });
    // With the third away too, nobody can take a lead: it stays unassigned, with the reason.
    await api.call('PUT', `/api/v1/users/${third.user.id}/availability`, { token: third.token, body: { away: true } });
    const stuck = await newLead(admin);
    const unplaced = await assignment(admin.token, stuck.id);
    expect(unplaced).toMatchObject({ ownerId: null, ruleId: null });
    expect(unplaced.explanation).toMatchObject({
      outcome: 'unassigned',
      summary: 'Every rep of the matching rules was skipped; the lead stays unassigned',
    });
    expect(await ownerOf(stuck.id)).toBeNull();
    for (const r of reps) {
      await api.call('PUT', `/api/v1/users/${r.user.id}/availability`, { token: admin.token, body: { away: false } });
    }
  });

  it('leaves a lead created with an owner alone, and a rep’s own lead theirs', async () => {
    const owned = await newLead(admin, { ownerId: dach.user.id, country: 'US' });
    const own = await newLead(reps[0]!);
    expect(own.ownerId).toBe(reps[0]!.user.id);
    // Events of one organization arrive in order: once a later lead is placed, the earlier ones were seen.
    await assignment(admin.token, (await newLead(admin)).id);
    expectError(await api.call('GET', `/api/v1/leads/${owned.id}/assignment`, { token: admin.token }), 404);
    expectError(await api.call('GET', `/api/v1/leads/${own.id}/assignment`, { token: admin.token }), 404);
    expect(await ownerOf(owned.id)).toBe(dach.user.id);
    expect(await ownerOf(own.id)).toBe(reps[0]!.user.id);
  });

  it("never uses one organization's rules for another's leads", async () => {
    const theirRule = await api.call('POST', '/api/v1/assignment-rules', {
      token: other.token,
      body: { name: 'Theirs', strategy: 'weighted', members: [{ userId: otherRep.user.id }] },
    });
    expect(theirRule.status, JSON.stringify(theirRule.data)).toBe(201);
    const placed = await assignment(other.token, (await newLead(other, { country: 'DE' })).id);
    expect(placed).toMatchObject({ ownerId: otherRep.user.id, ruleId: theirRule.data.id });
    expect(placed.explanation.rules.map((r) => r.name)).toEqual(['Theirs']);
    const ours = (await api.call('GET', '/api/v1/assignment-rules', { token: admin.token })).data.data;
    expect(ours.map((r: { name: string }) => r.name)).toEqual(['DACH', 'Rotation']);
    expectError(await api.call('GET', `/api/v1/leads/${placed.leadId}/assignment`, { token: admin.token }), 404);
  });

  it('assigns once when the bus delivers the same event again', async () => {
    const lead = await newLead(admin);
    const first = await assignment(admin.token, lead.id);
    const org = admin.organization.id;
    const [row] = await shards().withTenant(org, (tx) =>
      tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.aggregateId, lead.id), eq(outbox.eventType, 'lead.created'))),
    );
    await stack.regions.us!.ctx.bus.publish([toBusEvent('us', row!), toBusEvent('us', row!)]);
    // A later lead's placement shows the worker has moved past the redelivered events.
    await assignment(admin.token, (await newLead(admin)).id);
    const logged = await shards().withTenant(org, (tx) =>
      tx.select().from(leadAssignments).where(eq(leadAssignments.leadId, lead.id)),
    );
    expect(logged.map((l) => l.id)).toEqual([first.id]);
    const version = (await api.call('GET', `/api/v1/leads/${lead.id}`, { token: admin.token })).data.version;
    expect(version).toBe(2);
  });
});
