import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { apiKeys, leads, memberships, users } from '../../db/schema/index.ts';
import { apiClient } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Caller = { name: string; credential: string };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let orgA: Session;
let orgB: Session;
/** Another organization, homed in the other region, so isolation does not rest on shards or regions differing. */
let orgEu: Session;
let leadA: Record<string, unknown> & { id: string };
let keyA: string;
let keyB: { id: string; key: string };
let keyEu: string;
/** Every way a foreign organization can authenticate: user tokens and API keys, in both regions. */
let foreigners: Caller[];

const leadScopes = ['leads:create', 'leads:read', 'leads:update', 'leads:delete', 'users:read'];

async function createKey(token: string, scopes = leadScopes) {
  const made = await api.call('POST', '/api/v1/api-keys', { token, body: { name: api.unique('key'), scopes } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return { id: made.data.apiKey.id as string, key: made.data.key as string };
}

/** What A's shard holds, read under A's own RLS scope and around the edge's response cache. */
async function stored(organizationId: string, region = 'us') {
  const { shards } = stack.regions[region]!.ctx;
  return shards.withTenant(organizationId, async (tx) => ({
    leads: (await tx.select({ n: count() }).from(leads))[0]!.n,
    users: (await tx.select({ n: count() }).from(users))[0]!.n,
    apiKeys: (await tx.select({ n: count() }).from(apiKeys))[0]!.n,
  }));
}

async function storedLead(organizationId: string, id: string) {
  const [row] = await stack.regions.us!.ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, id))),
  );
  return row;
}

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  [orgA, orgB, orgEu] = await Promise.all([
    api.signup('iso-a'),
    api.signup('iso-b'),
    api.signup('iso-eu', { region: 'eu' }),
  ]);
  expect(orgEu.organization.homeRegion).toBe('eu');
  const made = await api.call('POST', '/api/v1/leads', {
    token: orgA.token,
    body: {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
      company: 'Navy',
      status: 'qualified',
      source: 'isolation-probe',
      ownerId: orgA.user.id,
    },
  });
  expect(made.status).toBe(201);
  leadA = made.data;
  keyA = (await createKey(orgA.token)).key;
  keyB = await createKey(orgB.token);
  keyEu = (await createKey(orgEu.token)).key;
  foreigners = [
    { name: 'B user token', credential: orgB.token },
    { name: 'B API key', credential: keyB.key },
    { name: 'eu org user token', credential: orgEu.token },
    { name: 'eu org API key', credential: keyEu },
  ];
});
afterAll(() => stack?.stop());

describe("another organization and A's lead", () => {
  // 404, never 403: a refusal must not confirm that the id exists in some other organization.
  it('answers 404 to GET, PATCH and DELETE by id, with a token or an API key, in either region', async () => {
    const path = `/api/v1/leads/${leadA.id}`;
    for (const { name, credential } of foreigners) {
      const attempts = [
        api.call('GET', path, { token: credential }),
        api.call('PATCH', path, { token: credential, body: { status: 'converted', ownerId: null } }),
        api.call('PATCH', path, { token: credential, body: { firstName: 'Owned' }, headers: { 'if-match': '"v1"' } }),
        api.call('DELETE', path, { token: credential }),
        api.call('DELETE', path, { token: credential, headers: { 'if-match': '*' } }),
      ];
      for (const reply of await Promise.all(attempts)) expectError(reply, 404, 'not_found', name);
    }
  });

  it('never lists it, whatever the filters name', async () => {
    const queries = [
      '',
      `?ownerId=${orgA.user.id}`,
      '?status=qualified',
      '?source=isolation-probe',
      `?ownerId=${orgA.user.id}&status=qualified&source=isolation-probe`,
      '?limit=200',
    ];
    for (const { name, credential } of foreigners) {
      for (const query of queries) {
        const list = await api.call('GET', `/api/v1/leads${query}`, { token: credential });
        expect(list.status, `${name} ${query}`).toBe(200);
        const ids = (list.data.data as { id: string }[]).map((l) => l.id);
        expect(ids, `${name} ${query}`).not.toContain(leadA.id);
        if (query.includes('ownerId') || query.includes('isolation-probe')) expect(ids, `${name} ${query}`).toEqual([]);
      }
    }
  });

  it('leaves it exactly as it was', async () => {
    const row = await storedLead(orgA.organization.id, leadA.id);
    expect(row).toBeDefined();
    expect(row!.version).toBe(1);
    const reread = await api.call('GET', `/api/v1/leads/${leadA.id}`, { token: keyA });
    expect(reread.status).toBe(200);
    expect(reread.data).toEqual(leadA);
  });

  it("refuses to make A's user the owner of B's lead", async () => {
    const before = await stored(orgB.organization.id);
    expectError(
      await api.call('POST', '/api/v1/leads', { token: orgB.token, body: { firstName: 'X', ownerId: orgA.user.id } }),
      400,
      'unknown_owner',
    );
    expect(await stored(orgB.organization.id)).toEqual(before);
    const own = await api.call('POST', '/api/v1/leads', { token: orgB.token, body: { firstName: 'Mine' } });
    expect(own.status).toBe(201);
    expectError(
      await api.call('PATCH', `/api/v1/leads/${own.data.id}`, { token: keyB.key, body: { ownerId: orgA.user.id } }),
      400,
      'unknown_owner',
    );
  });

  it("refuses an API key re-labelled with A's organization", async () => {
    // The org id inside a key only routes it; the secret must still match a key of that organization.
    const aHex = orgA.organization.id.replace(/-/g, '');
    const forged = keyB.key.replace(/^(ck_us_)[0-9a-f]{32}/, `$1${aHex}`);
    expect(forged).not.toBe(keyB.key);
    expectError(await api.call('GET', '/api/v1/leads', { token: forged }), 401, 'invalid_token');
    expectError(await api.call('GET', `/api/v1/leads/${leadA.id}`, { token: forged }), 401, 'invalid_token');
    const otherRegion = keyB.key.replace(/^ck_us_/, 'ck_eu_');
    expectError(await api.call('GET', '/api/v1/leads', { token: otherRegion }), 401, 'invalid_token');
  });

  it("never replays A's answer to B for the same Idempotency-Key", async () => {
    const key = api.unique('idem');
    const body = { firstName: 'Twin', company: 'Same Body' };
    const headers = { 'idempotency-key': key };
    const made = await api.call('POST', '/api/v1/leads', { token: orgA.token, body, headers });
    expect(made.status).toBe(201);
    for (const [user, key] of [
      [orgB.token, keyB.key],
      [orgEu.token, keyEu],
    ] as const) {
      const theirs = await api.call('POST', '/api/v1/leads', { token: user, body, headers });
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.data.id).not.toBe(made.data.id);
      expect((await api.call('GET', `/api/v1/leads/${theirs.data.id}`, { token: user })).status).toBe(200);
      // Within an organization a key belongs to whoever used it first; another actor gets a refusal, not a replay.
      const sameOrg = await api.call('POST', '/api/v1/leads', { token: key, body, headers });
      expectError(sameOrg, 422, 'idempotency_key_reused');
    }
    const replay = await api.call('POST', '/api/v1/leads', { token: orgA.token, body, headers });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.data.id).toBe(made.data.id);
  });
});

describe('mass assignment', () => {
  const forbiddenLeadFields = () => ({
    organizationId: orgB.organization.id,
    id: newId(),
    score: 100,
    version: 42,
    scoreReasons: [{ points: 100, reason: 'forged' }],
    createdBy: orgB.user.id,
    createdAt: '2000-01-01T00:00:00.000Z',
  });

  it('refuses server-owned fields in a new lead with 400 and writes nothing', async () => {
    const beforeA = await stored(orgA.organization.id);
    const beforeB = await stored(orgB.organization.id);
    for (const [field, value] of Object.entries(forbiddenLeadFields())) {
      const reply = await api.call('POST', '/api/v1/leads', {
        token: orgA.token,
        body: { firstName: 'Mallory', [field]: value },
      });
      expectError(reply, 400, 'validation_failed');
      expect(JSON.stringify(reply.data.error.details), field).toContain(field);
    }
    // JSON.parse makes "__proto__" an own key; it must be refused, not merged into the prototype.
    const proto = await api.call('POST', '/api/v1/leads', {
      token: orgA.token,
      raw: `{"firstName":"Mallory","__proto__":{"organizationId":"${orgB.organization.id}","score":100}}`,
    });
    expectError(proto, 400, 'validation_failed');
    expect(await stored(orgA.organization.id)).toEqual(beforeA);
    expect(await stored(orgB.organization.id)).toEqual(beforeB);
  });

  it('refuses server-owned fields in a lead patch with 400 and changes nothing', async () => {
    for (const [field, value] of Object.entries(forbiddenLeadFields())) {
      for (const credential of [orgA.token, keyA]) {
        const reply = await api.call('PATCH', `/api/v1/leads/${leadA.id}`, {
          token: credential,
          body: { title: 'Rear Admiral', [field]: value },
        });
        expectError(reply, 400, 'validation_failed');
        expect(JSON.stringify(reply.data.error.details), field).toContain(field);
      }
    }
    const row = await storedLead(orgA.organization.id, leadA.id);
    expect(row).toMatchObject({ organizationId: orgA.organization.id, version: 1, title: null, score: leadA.score });
    expect(await storedLead(orgB.organization.id, leadA.id)).toBeUndefined();
  });

  it('refuses an organizationId in invitations, user patches and API keys', async () => {
    const before = await stored(orgA.organization.id);
    const beforeB = await stored(orgB.organization.id);
    const foreignOrg = { organizationId: orgB.organization.id };
    expectError(
      await api.call('POST', '/api/v1/users', {
        token: orgA.token,
        body: { email: `${api.unique('mass')}@example.com`, role: 'viewer', ...foreignOrg },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await api.call('PATCH', `/api/v1/users/${orgA.user.id}`, {
        token: orgA.token,
        body: { name: 'X', ...foreignOrg },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await api.call('PATCH', `/api/v1/users/${orgA.user.id}`, {
        token: orgA.token,
        body: { name: 'X', id: orgB.user.id, email: 'takeover@example.com' },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await api.call('POST', '/api/v1/api-keys', {
        token: orgA.token,
        body: { name: 'mass', scopes: ['leads:read'], ...foreignOrg },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await api.call('POST', '/api/v1/auth/signup', {
        body: {
          organization: api.unique('Mass Org'),
          email: `${api.unique('mass')}@example.com`,
          password: 'Corr3ct-Horse-Battery!',
          role: 'admin',
          ...foreignOrg,
        },
      }),
      400,
      'validation_failed',
    );
    expect(await stored(orgA.organization.id)).toEqual(before);
    expect(await stored(orgB.organization.id)).toEqual(beforeB);
  });
});

describe("another organization's users and API keys", () => {
  it('lists only its own users, with a token or an API key', async () => {
    for (const credential of [orgA.token, keyA]) {
      const list = await api.call('GET', '/api/v1/users', { token: credential });
      expect(list.status).toBe(200);
      const ids = (list.data.data as { id: string }[]).map((u) => u.id);
      expect(ids).toEqual([orgA.user.id]);
    }
  });

  it("cannot change B's user, who keeps their role", async () => {
    expectError(
      await api.call('PATCH', `/api/v1/users/${orgB.user.id}`, { token: orgA.token, body: { role: 'viewer' } }),
      404,
      'not_found',
    );
    expectError(
      await api.call('PATCH', `/api/v1/users/${orgB.user.id}`, { token: orgA.token, body: { status: 'disabled' } }),
      404,
      'not_found',
    );
    const [membership] = await stack.regions.us!.ctx.shards.withTenant(orgB.organization.id, (tx) =>
      tx.select().from(memberships).where(eq(memberships.userId, orgB.user.id)),
    );
    expect(membership?.role).toBe('admin');
    const me = await api.call('GET', '/api/v1/me', { token: orgB.token });
    expect(me.status).toBe(200);
    expect(me.data.user).toMatchObject({ id: orgB.user.id, role: 'admin', status: 'active' });
  });

  it("cannot see or revoke B's API key, which keeps working", async () => {
    const list = await api.call('GET', '/api/v1/api-keys', { token: orgA.token });
    expect(list.status).toBe(200);
    const ids = (list.data.data as { id: string }[]).map((k) => k.id);
    expect(ids).not.toContain(keyB.id);
    expect(ids.length).toBeGreaterThan(0);
    expectError(await api.call('DELETE', `/api/v1/api-keys/${keyB.id}`, { token: orgA.token }), 404, 'not_found');
    const me = await api.call('GET', '/api/v1/me', { token: keyB.key });
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ principal: 'api_key', organization: { id: orgB.organization.id } });
    const [row] = await stack.regions.us!.ctx.shards.withTenant(orgB.organization.id, (tx) =>
      tx.select().from(apiKeys).where(eq(apiKeys.id, keyB.id)),
    );
    expect(row?.revokedAt).toBeNull();
  });
});
