import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

type Api = ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<Api['signup']>>;
type Member = Awaited<ReturnType<Api['member']>>;
type Entry = {
  id: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  changes: Record<string, unknown> | null;
  createdAt: string;
};

let stack: TestStack;
let api: Api;
let org: Session;
let other: Session;
let manager: Member;
let rep: Member;
let viewer: Member;
let leadId: string;
let apiKey: { id: string; key: string };

const as = (agent: string) => ({ 'user-agent': agent });

async function audit(token: string, query = '') {
  const reply = await api.call('GET', `/api/v1/audit-log${query}`, { token });
  expect(reply.status, JSON.stringify(reply.data)).toBe(200);
  return reply.data as { data: Entry[]; nextCursor: string | null };
}

async function everyPage(token: string, query: string) {
  const pages: Entry[][] = [];
  let cursor: string | null = null;
  do {
    const page = await audit(token, `?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    pages.push(page.data);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  [org, other] = await Promise.all([api.signup('audit'), api.signup('audit-other')]);
  [manager, rep, viewer] = await Promise.all([
    api.member(org.token, 'manager'),
    api.member(org.token, 'sales_rep'),
    api.member(org.token, 'viewer'),
  ]);
  const made = await api.call('POST', '/api/v1/leads', {
    token: org.token,
    body: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.example' },
    headers: as('AuditTest/1.0 (create)'),
  });
  expect(made.status).toBe(201);
  leadId = made.data.id;
  const edited = await api.call('PATCH', `/api/v1/leads/${leadId}`, {
    token: org.token,
    body: { status: 'qualified', ownerId: rep.user.id },
    headers: as('AuditTest/2.0 (update)'),
  });
  expect(edited.status).toBe(200);
  const promoted = await api.call('PATCH', `/api/v1/users/${viewer.user.id}`, {
    token: org.token,
    body: { role: 'manager' },
    headers: as('AuditTest/3.0 (role)'),
  });
  expect(promoted.status, JSON.stringify(promoted.data)).toBe(200);
  const demoted = await api.call('PATCH', `/api/v1/users/${viewer.user.id}`, {
    token: org.token,
    body: { role: 'viewer' },
  });
  expect(demoted.status).toBe(200);
  const byManager = await api.call('POST', '/api/v1/leads', {
    token: manager.token,
    body: { firstName: 'Managed' },
    headers: as('AuditTest/4.0 (manager)'),
  });
  expect(byManager.status).toBe(201);
  const key = await api.call('POST', '/api/v1/api-keys', {
    token: org.token,
    body: { name: api.unique('auditor'), scopes: ['audit:read', 'leads:create'] },
  });
  expect(key.status).toBe(201);
  apiKey = { id: key.data.apiKey.id, key: key.data.key };
  const byKey = await api.call('POST', '/api/v1/leads', { token: apiKey.key, body: { firstName: 'Keyed' } });
  expect(byKey.status).toBe(201);
  await api.call('POST', '/api/v1/leads', { token: other.token, body: { firstName: 'Elsewhere' } });
});
afterAll(() => stack?.stop());

describe('GET /api/v1/audit-log', () => {
  it('shows lead changes with who, what, the IP address and the user agent, newest first', async () => {
    const { data } = await audit(org.token, `?targetId=${leadId}`);
    expect(data.map((e) => e.action)).toEqual(['lead.assigned', 'lead.updated', 'lead.created']);
    const [assigned, updated, created] = data as [Entry, Entry, Entry];
    expect(updated).toEqual({
      id: expect.any(String),
      actorType: 'user',
      actorId: org.user.id,
      action: 'lead.updated',
      targetType: 'lead',
      targetId: leadId,
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      userAgent: 'AuditTest/2.0 (update)',
      changes: expect.objectContaining({ status: ['new', 'qualified'], ownerId: [null, rep.user.id] }),
      createdAt: expect.any(String),
    });
    expect(assigned).toMatchObject({ userAgent: 'AuditTest/2.0 (update)', changes: { ownerId: [null, rep.user.id] } });
    expect(created).toMatchObject({
      actorId: org.user.id,
      userAgent: 'AuditTest/1.0 (create)',
      changes: expect.objectContaining({ firstName: 'Grace', email: 'grace@navy.example' }),
    });
    expect(created.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(Date.parse(created.createdAt)).toBeLessThanOrEqual(Date.parse(updated.createdAt));
  });

  it('shows user changes: invitations and role changes, with before and after', async () => {
    const { data } = await audit(org.token, `?targetId=${viewer.user.id}`);
    expect(data.map((e) => e.action)).toEqual([
      'user.updated',
      'user.updated',
      'user.invitation_accepted',
      'user.invited',
    ]);
    expect(data[0]!.changes).toEqual({ role: ['manager', 'viewer'] });
    expect(data[1]).toMatchObject({
      actorId: org.user.id,
      targetType: 'user',
      userAgent: 'AuditTest/3.0 (role)',
      changes: { role: ['viewer', 'manager'] },
    });
    expect(data[1]!.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(data[3]!.changes).toEqual({ role: 'viewer' });
  });

  it('names an API key as the actor of what it did', async () => {
    const { data } = await audit(org.token, `?actorId=${apiKey.id}`);
    expect(data.map((e) => e.action)).toEqual(['lead.created']);
    expect(data[0]).toMatchObject({ actorType: 'api_key', actorId: apiKey.id, targetType: 'lead' });
  });

  it('filters by actor, exact action, action prefix, target type, target and time, in any combination', async () => {
    const all = (await everyPage(org.token, 'limit=200')).flat();
    const check = async (query: string, keep: (e: Entry) => boolean) => {
      const wanted = all.filter(keep);
      expect(wanted.length, query).toBeGreaterThan(0);
      const got = (await everyPage(org.token, `limit=3&${query}`)).flat();
      expect(
        got.map((e) => e.id),
        query,
      ).toEqual(wanted.map((e) => e.id));
    };
    await check(`actorId=${manager.user.id}`, (e) => e.actorId === manager.user.id);
    await check('action=lead.created', (e) => e.action === 'lead.created');
    await check('action=lead.', (e) => e.action.startsWith('lead.'));
    await check('action=user.', (e) => e.action.startsWith('user.'));
    await check('action=api_key.', (e) => e.action.startsWith('api_key.'));
    await check('targetType=user', (e) => e.targetType === 'user');
    await check(`targetType=lead&actorId=${org.user.id}`, (e) => e.targetType === 'lead' && e.actorId === org.user.id);
    await check(`action=lead.&targetId=${leadId}`, (e) => e.action.startsWith('lead.') && e.targetId === leadId);

    // An action without a dot is exact: `lead` is no action, and `lead.update` is not `lead.updated`.
    expect((await audit(org.token, '?action=lead')).data).toEqual([]);
    expect((await audit(org.token, '?action=lead.update')).data).toEqual([]);

    const times = [...new Set(all.map((e) => e.createdAt))].sort();
    expect(times.length).toBeGreaterThan(1);
    const middle = times[Math.floor(times.length / 2)]!;
    await check(`from=${middle}`, (e) => e.createdAt >= middle);
    await check(`to=${middle}`, (e) => e.createdAt < middle);
    const leadTimes = all
      .filter((e) => e.action.startsWith('lead.'))
      .map((e) => e.createdAt)
      .sort();
    const [first, last] = [leadTimes[0]!, leadTimes.at(-1)!];
    expect(first < last).toBe(true);
    await check(
      `from=${first}&to=${last}&action=lead.`,
      (e) => e.createdAt >= first && e.createdAt < last && e.action.startsWith('lead.'),
    );
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await audit(org.token, `?from=${future}`)).data).toEqual([]);
  });

  it('pages newest first with nothing skipped or repeated', async () => {
    const whole = (await audit(org.token, '?limit=200')).data;
    expect(whole.length).toBeGreaterThan(8);
    const sorted = [...whole].sort((a, b) => (a.id < b.id ? 1 : -1));
    expect(whole.map((e) => e.id)).toEqual(sorted.map((e) => e.id));
    for (const limit of [1, 2, 5]) {
      const pages = await everyPage(org.token, `limit=${limit}`);
      expect(
        pages.flat().map((e) => e.id),
        `limit=${limit}`,
      ).toEqual(whole.map((e) => e.id));
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
    }
  });

  it('records activity changes too', async () => {
    const made = await api.call('POST', '/api/v1/activities', {
      token: org.token,
      body: { type: 'task', subject: 'Audited', leadId },
      headers: as('AuditTest/5.0 (activity)'),
    });
    expect(made.status).toBe(201);
    await api.call('PATCH', `/api/v1/activities/${made.data.id}`, { token: org.token, body: { done: true } });
    const { data } = await audit(org.token, '?targetType=activity&action=activity.');
    expect(data.filter((e) => e.targetId === made.data.id).map((e) => e.action)).toEqual([
      'activity.completed',
      'activity.updated',
      'activity.created',
    ]);
    expect(data.find((e) => e.action === 'activity.created')!.userAgent).toBe('AuditTest/5.0 (activity)');
  });

  it('answers 403 to everyone without audit:read: managers, sales reps, viewers and narrower API keys', async () => {
    for (const member of [manager, rep, viewer]) {
      expectError(await api.call('GET', '/api/v1/audit-log', { token: member.token }), 403, 'forbidden');
    }
    const narrow = await api.call('POST', '/api/v1/api-keys', {
      token: org.token,
      body: { name: api.unique('narrow'), scopes: ['leads:read', 'users:read'] },
    });
    expectError(await api.call('GET', '/api/v1/audit-log', { token: narrow.data.key }), 403, 'forbidden');
    expectError(await api.call('GET', '/api/v1/audit-log'), 401);
    const byKey = await audit(apiKey.key, `?targetId=${leadId}`);
    expect(byKey.data).toHaveLength(3);
  });

  it("never shows another organization's entries, whatever the filters name", async () => {
    const theirs = (await everyPage(other.token, 'limit=200')).flat();
    expect(theirs.length).toBeGreaterThan(0);
    const mine = new Set((await everyPage(org.token, 'limit=200')).flat().map((e) => e.id));
    for (const entry of theirs) expect(mine.has(entry.id)).toBe(false);
    for (const query of [
      `?targetId=${leadId}`,
      `?actorId=${org.user.id}`,
      `?actorId=${apiKey.id}`,
      `?targetId=${viewer.user.id}`,
    ]) {
      expect((await audit(other.token, query)).data, query).toEqual([]);
    }
  });

  it('refuses malformed filters, ranges and cursors with a 400 naming them', async () => {
    for (const [query, path] of [
      ['actorId=me', 'actorId'],
      ['targetId=1', 'targetId'],
      ['action=Lead.', 'action'],
      ['action=lead..', 'action'],
      ['action=lead%25', 'action'],
      ['action=.lead', 'action'],
      [`action=${'a'.repeat(101)}`, 'action'],
      ['targetType=Lead', 'targetType'],
      ['targetType=lead%00', 'targetType'],
      ['from=yesterday', 'from'],
      ['to=2026-01-01', 'to'],
      ['from=0000-06-01T00:00:00Z', 'from'],
      ['to=9999-12-31T23:59:59-05:00', 'to'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
      ['from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
    ] as const) {
      const reply = await api.call('GET', `/api/v1/audit-log?${query}`, { token: org.token });
      expectError(reply, 400, 'validation_failed', query);
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expectError(await api.call('GET', '/api/v1/audit-log?cursor=forged', { token: org.token }), 400, 'invalid_cursor');
  });
});
