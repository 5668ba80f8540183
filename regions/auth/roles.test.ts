import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

type Member = { token: string; user: { id: string } };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Member;
let manager: Member;
let rep: Member;
let colleague: Member;
let viewer: Member;

const ids = (reply: Reply) => (reply.data.data as { id: string }[]).map((item) => item.id);

async function newLead(token: string, body: Record<string, unknown> = {}) {
  const made = await api.call('POST', '/api/v1/leads', { token, body: { firstName: api.unique('lead'), ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; ownerId: string | null; version: number };
}

async function newKey(scopes: string[]) {
  const made = await api.call('POST', '/api/v1/api-keys', {
    token: admin.token,
    body: { name: api.unique('k'), scopes },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return { id: made.data.apiKey.id as string, key: made.data.key as string };
}

beforeAll(async () => {
  // Resolved API keys are not cached, so a revocation shows on the very next request.
  stack = await startTestStack({ regions: ['us'], edge: { apiKeyCacheSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('roles');
  [manager, rep, colleague, viewer] = await Promise.all([
    api.member(admin.token, 'manager'),
    api.member(admin.token, 'sales_rep', 'rep'),
    api.member(admin.token, 'sales_rep', 'colleague'),
    api.member(admin.token, 'viewer'),
  ]);
});
afterAll(() => stack?.stop());

describe('leads by role', () => {
  it('lets admins and managers create, list, read, update and delete any lead', async () => {
    for (const actor of [admin, manager]) {
      const lead = await newLead(actor.token);
      const byRep = await newLead(rep.token);
      expect(ids(await api.call('GET', '/api/v1/leads?limit=200', { token: actor.token }))).toEqual(
        expect.arrayContaining([lead.id, byRep.id]),
      );
      expect((await api.call('GET', `/api/v1/leads/${byRep.id}`, { token: actor.token })).status).toBe(200);
      const edited = await api.call('PATCH', `/api/v1/leads/${byRep.id}`, {
        token: actor.token,
        body: { status: 'contacted' },
      });
      expect(edited.status).toBe(200);
      expect(edited.data).toMatchObject({ status: 'contacted', version: 2 });
      expect((await api.call('DELETE', `/api/v1/leads/${lead.id}`, { token: actor.token })).status).toBe(204);
      expect((await api.call('DELETE', `/api/v1/leads/${byRep.id}`, { token: actor.token })).status).toBe(204);
      expectError(await api.call('GET', `/api/v1/leads/${byRep.id}`, { token: actor.token }), 404, 'not_found');
    }
  });

  it('lets a manager assign a lead to a rep, who then sees it', async () => {
    const lead = await newLead(manager.token);
    expect(lead.ownerId).toBeNull();
    expectError(await api.call('GET', `/api/v1/leads/${lead.id}`, { token: rep.token }), 404, 'not_found');
    const assigned = await api.call('PATCH', `/api/v1/leads/${lead.id}`, {
      token: manager.token,
      body: { ownerId: rep.user.id },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.data.ownerId).toBe(rep.user.id);
    const seen = await api.call('GET', `/api/v1/leads/${lead.id}`, { token: rep.token });
    expect(seen.status).toBe(200);
    expect(ids(await api.call('GET', '/api/v1/leads', { token: rep.token }))).toContain(lead.id);
  });

  it('shows a sales rep only the leads assigned to them', async () => {
    const mine = await newLead(rep.token);
    expect(mine.ownerId).toBe(rep.user.id);
    const theirs = await newLead(colleague.token);
    expect(theirs.ownerId).toBe(colleague.user.id);
    const unassigned = await newLead(admin.token);

    for (const hidden of [theirs, unassigned]) {
      expectError(await api.call('GET', `/api/v1/leads/${hidden.id}`, { token: rep.token }), 404, 'not_found');
      expectError(
        await api.call('PATCH', `/api/v1/leads/${hidden.id}`, { token: rep.token, body: { status: 'converted' } }),
        404,
        'not_found',
      );
    }
    const list = await api.call('GET', '/api/v1/leads?limit=200', { token: rep.token });
    expect(list.status).toBe(200);
    expect(ids(list)).toContain(mine.id);
    expect(ids(list)).not.toContain(theirs.id);
    expect(ids(list)).not.toContain(unassigned.id);
    for (const lead of list.data.data as { ownerId: string }[]) expect(lead.ownerId).toBe(rep.user.id);
    // Filtering by a colleague must not widen the rep's view to the colleague's leads.
    const filtered = await api.call('GET', `/api/v1/leads?ownerId=${colleague.user.id}`, { token: rep.token });
    expect(filtered.status).toBe(200);
    expect(filtered.data.data).toEqual([]);

    const edited = await api.call('PATCH', `/api/v1/leads/${mine.id}`, {
      token: rep.token,
      body: { status: 'contacted' },
    });
    expect(edited.status).toBe(200);
    const unchanged = await api.call('GET', `/api/v1/leads/${theirs.id}`, { token: colleague.token });
    expect(unchanged.data).toMatchObject({ version: 1, status: 'new', ownerId: colleague.user.id });
  });

  it('stops a sales rep assigning a lead to someone else, or deleting one', async () => {
    const mine = await newLead(rep.token);
    expectError(
      await api.call('PATCH', `/api/v1/leads/${mine.id}`, { token: rep.token, body: { ownerId: colleague.user.id } }),
      403,
      'forbidden',
    );
    const gift = api.unique('gift');
    expectError(
      await api.call('POST', '/api/v1/leads', {
        token: rep.token,
        body: { firstName: gift, ownerId: colleague.user.id },
      }),
      403,
      'forbidden',
    );
    const all = await api.call('GET', '/api/v1/leads?limit=200', { token: admin.token });
    expect((all.data.data as { firstName: string }[]).filter((l) => l.firstName === gift)).toEqual([]);
    const still = await api.call('GET', `/api/v1/leads/${mine.id}`, { token: rep.token });
    expect(still.data).toMatchObject({ ownerId: rep.user.id, version: 1 });
    expectError(await api.call('DELETE', `/api/v1/leads/${mine.id}`, { token: rep.token }), 403, 'forbidden');
    expect((await api.call('GET', `/api/v1/leads/${mine.id}`, { token: admin.token })).status).toBe(200);
  });

  it("stops a sales rep unassigning a lead, which would drop it out of every rep's view", async () => {
    const mine = await newLead(rep.token);
    expectError(
      await api.call('PATCH', `/api/v1/leads/${mine.id}`, { token: rep.token, body: { ownerId: null } }),
      403,
      'forbidden',
    );
    expectError(
      await api.call('POST', '/api/v1/leads', { token: rep.token, body: { firstName: "Nobody's", ownerId: null } }),
      403,
      'forbidden',
    );
    const unassigned = await api.call('PATCH', `/api/v1/leads/${mine.id}`, {
      token: manager.token,
      body: { ownerId: null },
    });
    expect(unassigned.status).toBe(200);
    expect(unassigned.data.ownerId).toBeNull();
  });

  it("never replays a rep's lead to a colleague who reuses their Idempotency-Key", async () => {
    const headers = { 'idempotency-key': api.unique('import-row') };
    const body = { firstName: 'Replay', email: `${api.unique('private')}@client.example` };
    const mine = await api.call('POST', '/api/v1/leads', { token: rep.token, body, headers });
    expect(mine.status).toBe(201);
    const retry = await api.call('POST', '/api/v1/leads', { token: rep.token, body, headers });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.data.id).toBe(mine.data.id);

    const theirs = await api.call('POST', '/api/v1/leads', { token: colleague.token, body, headers });
    expectError(theirs, 422, 'idempotency_key_reused');
    expect(JSON.stringify(theirs.data)).not.toContain(body.email);
    expectError(await api.call('GET', `/api/v1/leads/${mine.data.id}`, { token: colleague.token }), 404, 'not_found');
  });

  it('lets a viewer read every lead but write none', async () => {
    const lead = await newLead(rep.token);
    const list = await api.call('GET', '/api/v1/leads?limit=200', { token: viewer.token });
    expect(list.status).toBe(200);
    expect(ids(list)).toContain(lead.id);
    expect((await api.call('GET', `/api/v1/leads/${lead.id}`, { token: viewer.token })).status).toBe(200);
    expectError(
      await api.call('POST', '/api/v1/leads', { token: viewer.token, body: { firstName: 'Nope' } }),
      403,
      'forbidden',
    );
    expectError(
      await api.call('PATCH', `/api/v1/leads/${lead.id}`, { token: viewer.token, body: { status: 'converted' } }),
      403,
      'forbidden',
    );
    expectError(await api.call('DELETE', `/api/v1/leads/${lead.id}`, { token: viewer.token }), 403, 'forbidden');
    const after = await api.call('GET', `/api/v1/leads/${lead.id}`, { token: admin.token });
    expect(after.data).toMatchObject({ version: 1, status: 'new' });
  });
});

describe('users by role', () => {
  it('lets every role list the team', async () => {
    for (const actor of [admin, manager, rep, viewer]) {
      const list = await api.call('GET', '/api/v1/users', { token: actor.token });
      expect(list.status).toBe(200);
      expect(ids(list)).toEqual(expect.arrayContaining([admin.user.id, rep.user.id, viewer.user.id]));
    }
  });

  it('lets only admins invite and change roles', async () => {
    for (const actor of [manager, rep, viewer]) {
      expectError(
        await api.call('POST', '/api/v1/users', {
          token: actor.token,
          body: { email: `${api.unique('nope')}@example.com`, role: 'admin' },
        }),
        403,
        'forbidden',
      );
      for (const target of [colleague, actor]) {
        expectError(
          await api.call('PATCH', `/api/v1/users/${target.user.id}`, { token: actor.token, body: { role: 'admin' } }),
          403,
          'forbidden',
        );
      }
    }
    const roles = await api.call('GET', '/api/v1/users', { token: admin.token });
    const roleOf = (id: string) => (roles.data.data as { id: string; role: string }[]).find((u) => u.id === id)?.role;
    expect([roleOf(manager.user.id), roleOf(rep.user.id), roleOf(viewer.user.id)]).toEqual([
      'manager',
      'sales_rep',
      'viewer',
    ]);

    const promoted = await api.call('PATCH', `/api/v1/users/${colleague.user.id}`, {
      token: admin.token,
      body: { role: 'manager' },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.data).toMatchObject({ id: colleague.user.id, role: 'manager' });
    const back = await api.call('PATCH', `/api/v1/users/${colleague.user.id}`, {
      token: admin.token,
      body: { role: 'sales_rep' },
    });
    expect(back.data.role).toBe('sales_rep');
  });

  it('applies a demotion or a disabled account to tokens already issued', async () => {
    const demoted = await api.member(admin.token, 'manager', 'demoted');
    expect((await newLead(demoted.token)).id).toBeTruthy();
    const change = await api.call('PATCH', `/api/v1/users/${demoted.user.id}`, {
      token: admin.token,
      body: { role: 'viewer' },
    });
    expect(change.status).toBe(200);
    expectError(
      await api.call('POST', '/api/v1/leads', { token: demoted.token, body: { firstName: 'After demotion' } }),
      403,
      'forbidden',
    );
    const me = await api.call('GET', '/api/v1/me', { token: demoted.token });
    expect(me.data.role).toBe('viewer');

    const disabled = await api.call('PATCH', `/api/v1/users/${demoted.user.id}`, {
      token: admin.token,
      body: { status: 'disabled' },
    });
    expect(disabled.status).toBe(200);
    expectError(await api.call('GET', '/api/v1/leads', { token: demoted.token }), 401, 'unauthorized');
  });

  it('never demotes or disables the last active admin', async () => {
    const org = await api.signup('last-admin');
    const self = `/api/v1/users/${org.user.id}`;
    expectError(await api.call('PATCH', self, { token: org.token, body: { role: 'manager' } }), 409, 'last_admin');
    expectError(await api.call('PATCH', self, { token: org.token, body: { status: 'disabled' } }), 409, 'last_admin');

    // An admin who has not accepted the invitation yet cannot take over.
    const invited = await api.call('POST', '/api/v1/users', {
      token: org.token,
      body: { email: `${api.unique('pending')}@example.com`, role: 'admin' },
    });
    expect(invited.status).toBe(201);
    expectError(await api.call('PATCH', self, { token: org.token, body: { role: 'viewer' } }), 409, 'last_admin');

    const second = await api.member(org.token, 'admin', 'second-admin');
    const demoted = await api.call('PATCH', self, { token: second.token, body: { role: 'manager' } });
    expect(demoted.status).toBe(200);
    expect(demoted.data.role).toBe('manager');
    expectError(
      await api.call('PATCH', `/api/v1/users/${second.user.id}`, { token: second.token, body: { role: 'viewer' } }),
      409,
      'last_admin',
    );
    const me = await api.call('GET', '/api/v1/me', { token: second.token });
    expect(me.data).toMatchObject({ role: 'admin', user: { status: 'active' } });
  });

  it('keeps an admin when two admins demote each other at the same moment', async () => {
    for (let round = 0; round < 4; round++) {
      const org = await api.signup(`admin-race-${round}`);
      const other = await api.member(org.token, 'admin', `race-${round}`);
      const replies = await Promise.all([
        api.call('PATCH', `/api/v1/users/${other.user.id}`, { token: org.token, body: { role: 'viewer' } }),
        api.call('PATCH', `/api/v1/users/${org.user.id}`, { token: other.token, body: { role: 'viewer' } }),
      ]);
      // The loser is refused either by the last-admin rule (409) or, when the winner committed first, because
      // roles bind at once and it is no longer an admin (403).
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses[0], JSON.stringify(replies.map((r) => r.data))).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      const list = await api.call('GET', '/api/v1/users', { token: org.token });
      const admins = (list.data.data as { role: string; status: string }[]).filter(
        (u) => u.role === 'admin' && u.status === 'active',
      );
      expect(admins).toHaveLength(1);
    }
  });
});

describe('API keys by role and scope', () => {
  it('lets only admins create, list and revoke keys', async () => {
    const key = await newKey(['leads:read']);
    const listed = await api.call('GET', '/api/v1/api-keys', { token: admin.token });
    expect(listed.status).toBe(200);
    const row = (listed.data.data as Record<string, unknown>[]).find((k) => k.id === key.id);
    expect(row).toMatchObject({ scopes: ['leads:read'], revokedAt: null });
    // The secret is shown once, at creation; neither it nor its hash is listed.
    expect(JSON.stringify(listed.data)).not.toContain(key.key);
    expect(row).not.toHaveProperty('keyHash');
    for (const actor of [manager, rep, viewer]) {
      expectError(
        await api.call('POST', '/api/v1/api-keys', {
          token: actor.token,
          body: { name: 'nope', scopes: ['leads:read'] },
        }),
        403,
        'forbidden',
      );
      expectError(await api.call('GET', '/api/v1/api-keys', { token: actor.token }), 403, 'forbidden');
      expectError(await api.call('DELETE', `/api/v1/api-keys/${key.id}`, { token: actor.token }), 403, 'forbidden');
    }
  });

  it('lets a key act only within its scopes', async () => {
    const lead = await newLead(admin.token);
    const reader = await newKey(['leads:read']);
    expect((await api.call('GET', '/api/v1/leads', { token: reader.key })).status).toBe(200);
    expect((await api.call('GET', `/api/v1/leads/${lead.id}`, { token: reader.key })).status).toBe(200);
    expectError(
      await api.call('POST', '/api/v1/leads', { token: reader.key, body: { firstName: 'Nope' } }),
      403,
      'forbidden',
    );
    expectError(
      await api.call('PATCH', `/api/v1/leads/${lead.id}`, { token: reader.key, body: { status: 'converted' } }),
      403,
      'forbidden',
    );
    expectError(await api.call('DELETE', `/api/v1/leads/${lead.id}`, { token: reader.key }), 403, 'forbidden');
    expectError(await api.call('GET', '/api/v1/users', { token: reader.key }), 403, 'forbidden');
    expectError(
      await api.call('POST', '/api/v1/users', {
        token: reader.key,
        body: { email: `${api.unique('k')}@example.com`, role: 'admin' },
      }),
      403,
      'forbidden',
    );
    expectError(
      await api.call('POST', '/api/v1/api-keys', { token: reader.key, body: { name: 'x', scopes: ['leads:delete'] } }),
      403,
      'forbidden',
    );

    const writer = await newKey(['leads:create']);
    const made = await api.call('POST', '/api/v1/leads', { token: writer.key, body: { firstName: 'ByKey' } });
    expect(made.status).toBe(201);
    expectError(await api.call('GET', `/api/v1/leads/${made.data.id}`, { token: writer.key }), 403, 'forbidden');
    expectError(await api.call('GET', '/api/v1/leads', { token: writer.key }), 403, 'forbidden');
  });

  it('stops a revoked key at once', async () => {
    const key = await newKey(['leads:read']);
    expect((await api.call('GET', '/api/v1/leads', { token: key.key })).status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/api-keys/${key.id}`, { token: admin.token })).status).toBe(204);
    expectError(await api.call('GET', '/api/v1/leads', { token: key.key }), 401, 'invalid_token');
    expectError(await api.call('GET', '/api/v1/me', { token: key.key }), 401, 'invalid_token');
    expectError(await api.call('DELETE', `/api/v1/api-keys/${key.id}`, { token: admin.token }), 404, 'not_found');
    const listed = await api.call('GET', '/api/v1/api-keys', { token: admin.token });
    const row = (listed.data.data as { id: string; revokedAt: string | null }[]).find((k) => k.id === key.id);
    expect(row?.revokedAt).toEqual(expect.any(String));
  });
});
