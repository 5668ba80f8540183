import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let admin: Session;
let manager: Member;
let rep: Member;
let viewer: Member;
let other: Session;
let otherRep: Member;

const shards = () => stack.regions.us!.ctx.shards;

beforeAll(async () => {
  // No workers: these tests drive the API alone (workers/dispatch has the assignments).
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  [admin, other] = await Promise.all([
    api.signup('ar-admin', { region: 'us' }),
    api.signup('ar-other', { region: 'us' }),
  ]);
  [manager, rep, viewer, otherRep] = await Promise.all([
    api.member(admin.token, 'manager'),
    api.member(admin.token, 'sales_rep'),
    api.member(admin.token, 'viewer'),
    api.member(other.token, 'sales_rep'),
  ]);
});
afterAll(() => stack?.stop());

const createRule = async (token: string, body: Record<string, unknown>) => {
  const made = await api.call('POST', '/api/v1/assignment-rules', { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; version: number; position: number };
};

describe('assignment rules API', () => {
  it('lets admins and managers create, change, reorder and delete rules; reps and viewers only read', async () => {
    const dach = await createRule(admin.token, {
      name: 'DACH',
      strategy: 'round_robin',
      conditions: { countries: ['DE', 'AT', 'CH'] },
      members: [{ userId: rep.user.id }, { userId: manager.user.id, weight: 2, territory: { regions: ['Vienna'] } }],
    });
    expect(dach).toMatchObject({
      name: 'DACH',
      position: 0,
      active: true,
      strategy: 'round_robin',
      conditions: { countries: ['DE', 'AT', 'CH'] },
      members: [
        { userId: rep.user.id, weight: 1, territory: null },
        { userId: manager.user.id, weight: 2, territory: { regions: ['Vienna'] } },
      ],
      version: 1,
    });
    const rest = await createRule(manager.token, {
      name: 'Everyone else',
      strategy: 'weighted',
      members: [{ userId: rep.user.id }],
    });
    expect(rest).toMatchObject({ position: 1, conditions: {} });

    for (const member of [rep, viewer]) {
      const listed = await api.call('GET', '/api/v1/assignment-rules', { token: member.token });
      expect(listed.status).toBe(200);
      expect(listed.data.data.map((r: { name: string }) => r.name)).toEqual(['DACH', 'Everyone else']);
      expectError(
        await api.call('POST', '/api/v1/assignment-rules', {
          token: member.token,
          body: { name: 'x', strategy: 'round_robin', members: [{ userId: rep.user.id }] },
        }),
        403,
        'forbidden',
      );
      expectError(
        await api.call('PATCH', `/api/v1/assignment-rules/${dach.id}`, {
          token: member.token,
          body: { active: false },
        }),
        403,
      );
      expectError(await api.call('DELETE', `/api/v1/assignment-rules/${dach.id}`, { token: member.token }), 403);
      expectError(
        await api.call('PUT', '/api/v1/assignment-rules/order', {
          token: member.token,
          body: { ids: [rest.id, dach.id] },
        }),
        403,
      );
    }

    const read = await api.call('GET', `/api/v1/assignment-rules/${dach.id}`, { token: rep.token });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"v1"');
    const changed = await api.call('PATCH', `/api/v1/assignment-rules/${dach.id}`, {
      token: manager.token,
      headers: { 'if-match': '"v1"' },
      body: { name: 'DACH region', active: false, members: [{ userId: rep.user.id }] },
    });
    expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    expect(changed.data).toMatchObject({ name: 'DACH region', active: false, version: 2 });
    expect(changed.data.members).toEqual([{ userId: rep.user.id, weight: 1, territory: null }]);
    expectError(
      await api.call('PATCH', `/api/v1/assignment-rules/${dach.id}`, {
        token: manager.token,
        headers: { 'if-match': '"v1"' },
        body: { active: true },
      }),
      412,
      'precondition_failed',
    );
    const same = await api.call('PATCH', `/api/v1/assignment-rules/${dach.id}`, {
      token: manager.token,
      body: { conditions: { countries: ['DE', 'AT', 'CH'] } },
    });
    expect(same.data.version).toBe(2);

    const reordered = await api.call('PUT', '/api/v1/assignment-rules/order', {
      token: manager.token,
      body: { ids: [rest.id, dach.id] },
    });
    expect(reordered.status, JSON.stringify(reordered.data)).toBe(200);
    expect(reordered.data.data.map((r: { id: string; position: number }) => [r.id, r.position])).toEqual([
      [rest.id, 0],
      [dach.id, 1],
    ]);

    expect((await api.call('DELETE', `/api/v1/assignment-rules/${rest.id}`, { token: admin.token })).status).toBe(204);
    expectError(await api.call('GET', `/api/v1/assignment-rules/${rest.id}`, { token: admin.token }), 404, 'not_found');
    const audit = await shards().withTenant(admin.organization.id, (tx) =>
      tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, dach.id)),
    );
    expect(audit.map((a) => a.action).sort()).toEqual([
      'assignment_rule.created',
      'assignment_rule.reordered',
      'assignment_rule.updated',
    ]);
    const events = await shards().withTenant(admin.organization.id, (tx) =>
      tx.select({ type: outbox.eventType }).from(outbox).where(eq(outbox.aggregateId, rest.id)),
    );
    expect(events.map((e) => e.type).sort()).toEqual([
      'assignment_rule.created',
      'assignment_rule.deleted',
      'assignment_rule.reordered',
    ]);
    expect((await api.call('DELETE', `/api/v1/assignment-rules/${dach.id}`, { token: admin.token })).status).toBe(204);
  });

  it('refuses invalid rules with the error envelope, naming the field', async () => {
    const member = { userId: rep.user.id };
    const bad: [Record<string, unknown>, string][] = [
      [{ name: 'x', strategy: 'random', members: [member] }, 'strategy'],
      [{ name: '', strategy: 'round_robin', members: [member] }, 'name'],
      [{ name: 'x', strategy: 'round_robin' }, 'members'],
      [{ name: 'x', strategy: 'round_robin', members: [] }, 'members'],
      [{ name: 'x', strategy: 'round_robin', members: [member, member] }, 'members'],
      [{ name: 'x', strategy: 'round_robin', members: [{ userId: 'nope' }] }, 'members.0.userId'],
      [{ name: 'x', strategy: 'weighted', members: [{ ...member, weight: 0 }] }, 'members.0.weight'],
      [
        { name: 'x', strategy: 'round_robin', conditions: { countries: ['de'] }, members: [member] },
        'conditions.countries.0',
      ],
      [
        { name: 'x', strategy: 'round_robin', conditions: { countries: [] }, members: [member] },
        'conditions.countries',
      ],
      [
        { name: 'x', strategy: 'round_robin', conditions: { planet: ['Mars'] }, members: [member] },
        'conditions.planet',
      ],
      [{ name: 'x', strategy: 'round_robin', members: [member], extra: 1 }, 'extra'],
      // Checked by the region against the organization: an admin owns no leads, another organization's rep is unknown.
      [{ name: 'x', strategy: 'round_robin', members: [member, { userId: admin.user.id }] }, 'members.1.userId'],
      [{ name: 'x', strategy: 'round_robin', members: [{ userId: otherRep.user.id }] }, 'members.0.userId'],
    ];
    for (const [body, path] of bad) {
      const reply = await api.call('POST', '/api/v1/assignment-rules', { token: admin.token, body });
      expectError(reply, 400, 'validation_failed', JSON.stringify(body));
      expect(
        reply.data.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const rule = await createRule(admin.token, { name: 'Solo', strategy: 'round_robin', members: [member] });
    expectError(
      await api.call('PATCH', `/api/v1/assignment-rules/${rule.id}`, { token: admin.token, body: {} }),
      400,
      'validation_failed',
    );
    const stale = await api.call('PUT', '/api/v1/assignment-rules/order', {
      token: admin.token,
      body: { ids: [crypto.randomUUID()] },
    });
    expectError(stale, 400, 'validation_failed');
    expect(stale.data.error.details).toEqual([
      { path: 'ids.0', message: 'No such rule' },
      { path: 'ids', message: `Rule ${rule.id} is missing` },
    ]);
    expectError(
      await api.call('GET', '/api/v1/assignment-rules/not-a-uuid', { token: admin.token }),
      400,
      'validation_failed',
    );
    await api.call('DELETE', `/api/v1/assignment-rules/${rule.id}`, { token: admin.token });
  });

  it("keeps each organization's rules to itself", async () => {
    const mine = await createRule(admin.token, {
      name: 'Mine',
      strategy: 'round_robin',
      members: [{ userId: rep.user.id }],
    });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { active: false }],
      ['DELETE', undefined],
    ] as const) {
      expectError(
        await api.call(method, `/api/v1/assignment-rules/${mine.id}`, { token: other.token, body }),
        404,
        'not_found',
        method,
      );
    }
    expect((await api.call('GET', '/api/v1/assignment-rules', { token: other.token })).data.data).toEqual([]);
    expectError(
      await api.call('PUT', '/api/v1/assignment-rules/order', { token: other.token, body: { ids: [mine.id] } }),
      400,
    );
    expect((await api.call('GET', `/api/v1/assignment-rules/${mine.id}`, { token: admin.token })).data.active).toBe(
      true,
    );
    await api.call('DELETE', `/api/v1/assignment-rules/${mine.id}`, { token: admin.token });
  });
});

describe('availability API', () => {
  it('lets members set their own, admins and managers anyone’s; others get 403', async () => {
    const path = `/api/v1/users/${rep.user.id}/availability`;
    const initial = await api.call('GET', path, { token: viewer.token });
    expect(initial.status).toBe(200);
    expect(initial.data).toEqual({
      userId: rep.user.id,
      away: false,
      awayUntil: null,
      maxOpenLeads: null,
      openLeads: 0,
      available: true,
      updatedAt: null,
    });
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const own = await api.call('PUT', path, { token: rep.token, body: { away: true, awayUntil: until } });
    expect(own.status, JSON.stringify(own.data)).toBe(200);
    expect(own.data).toMatchObject({ away: true, awayUntil: until, available: false });
    const set = await api.call('PUT', path, { token: manager.token, body: { away: false, maxOpenLeads: 0 } });
    expect(set.data).toMatchObject({ away: false, awayUntil: null, maxOpenLeads: 0, available: false });
    expectError(
      await api.call('PUT', `/api/v1/users/${manager.user.id}/availability`, {
        token: rep.token,
        body: { away: true },
      }),
      403,
      'forbidden',
    );
    expectError(await api.call('PUT', path, { token: viewer.token, body: { away: true } }), 403);
    const past = new Date(Date.now() - 60_000).toISOString();
    expectError(
      await api.call('PUT', path, { token: rep.token, body: { away: true, awayUntil: past } }),
      400,
      'validation_failed',
    );
    expectError(
      await api.call('PUT', path, { token: rep.token, body: { away: false, awayUntil: until } }),
      400,
      'validation_failed',
    );
    expectError(await api.call('PUT', path, { token: rep.token, body: { away: false, maxOpenLeads: -1 } }), 400);
    expectError(
      await api.call('GET', `/api/v1/users/${otherRep.user.id}/availability`, { token: admin.token }),
      404,
      'not_found',
    );
    const reset = await api.call('PUT', path, { token: admin.token, body: { away: false } });
    expect(reset.data).toMatchObject({ away: false, maxOpenLeads: null, available: true });
  });
});
