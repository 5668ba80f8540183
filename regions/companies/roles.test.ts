import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies } from '../../db/schema/index.ts';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Company = { id: string; name: string; domain: string | null; version: number; ownerId: string | null };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const create = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.call('POST', '/api/v1/companies', { token, body, headers });

async function newCompany(token: string, body: Record<string, unknown> = {}): Promise<Company> {
  const made = await create(token, { name: api.unique('Company'), ...body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

const ids = (reply: Reply) => (reply.data.data as { id: string }[]).map((c) => c.id);

/** What the organization's shard holds, read around the edge's response cache. */
async function _storedCompanies(session: Session) {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  return shards.withTenant(session.organization.id, async (tx) =>
    tx.select().from(companies).where(eq(companies.organizationId, session.organization.id)),
  );
}

describe('companies by role', () => {
  let admin: Session;
  let manager: { token: string; user: { id: string } };
  let rep: { token: string; user: { id: string } };
  let otherRep: { token: string; user: { id: string } };
  let viewer: { token: string; user: { id: string } };

  beforeAll(async () => {
    admin = await api.signup('company-roles');
    [manager, rep, otherRep, viewer] = await Promise.all([
      api.member(admin.token, 'manager'),
      api.member(admin.token, 'sales_rep', 'rep'),
      api.member(admin.token, 'sales_rep', 'other-rep'),
      api.member(admin.token, 'viewer'),
    ]);
  });

  it('shows every company to every role, reps included', async () => {
    const byAdmin = await newCompany(admin.token, { name: 'Shared' });
    const byRep = await newCompany(rep.token, { name: 'Rep made' });
    expect(byRep.ownerId).toBe(rep.user.id);
    for (const member of [manager, rep, otherRep, viewer]) {
      expect(ids(await api.call('GET', '/api/v1/companies?limit=200', { token: member.token }))).toEqual(
        expect.arrayContaining([byAdmin.id, byRep.id]),
      );
      expect((await api.call('GET', `/api/v1/companies/${byAdmin.id}`, { token: member.token })).status).toBe(200);
    }
  });

  it('lets a sales rep change only the companies they own, and assign them only to themselves', async () => {
    const mine = await newCompany(rep.token, { name: 'Mine' });
    const theirs = await newCompany(otherRep.token, { name: 'Theirs' });
    const unowned = await newCompany(admin.token, { name: 'Nobody' });
    const edit = (id: string, body: Record<string, unknown>, token = rep.token) =>
      api.call('PATCH', `/api/v1/companies/${id}`, { token, body });
    expect((await edit(mine.id, { industry: 'Mine now' })).status).toBe(200);
    expectError(await edit(theirs.id, { industry: 'Stolen' }), 403, 'forbidden');
    expectError(await edit(unowned.id, { ownerId: rep.user.id }), 403, 'forbidden');
    expectError(await edit(mine.id, { ownerId: otherRep.user.id }), 403, 'forbidden');
    expectError(await edit(mine.id, { ownerId: null }), 403, 'forbidden');
    expectError(await create(rep.token, { name: 'For them', ownerId: otherRep.user.id }), 403, 'forbidden');
    expectError(await api.call('DELETE', `/api/v1/companies/${mine.id}`, { token: rep.token }), 403, 'forbidden');
    expect((await api.call('GET', `/api/v1/companies/${theirs.id}`, { token: admin.token })).data.version).toBe(1);

    // A manager hands the company to the rep, who may then change it.
    expect((await edit(unowned.id, { ownerId: rep.user.id }, manager.token)).status).toBe(200);
    expect((await edit(unowned.id, { industry: 'Assigned' })).status).toBe(200);
  });

  it('lets managers and admins do everything and viewers only read', async () => {
    for (const member of [admin, manager]) {
      const company = await newCompany(member.token);
      const byRep = await newCompany(rep.token);
      expect(
        (await api.call('PATCH', `/api/v1/companies/${byRep.id}`, { token: member.token, body: { size: '1-10' } }))
          .status,
      ).toBe(200);
      for (const c of [company, byRep]) {
        expect((await api.call('DELETE', `/api/v1/companies/${c.id}`, { token: member.token })).status).toBe(204);
      }
    }
    const company = await newCompany(admin.token);
    expectError(await create(viewer.token, { name: 'No' }), 403, 'forbidden');
    expectError(
      await api.call('PATCH', `/api/v1/companies/${company.id}`, { token: viewer.token, body: { size: '1-10' } }),
      403,
      'forbidden',
    );
    expectError(await api.call('DELETE', `/api/v1/companies/${company.id}`, { token: viewer.token }), 403);
  });

  it('follows API key scopes', async () => {
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: api.unique('k'), scopes: ['companies:read'] },
    });
    expect(key.status).toBe(201);
    const company = await newCompany(admin.token);
    expect((await api.call('GET', `/api/v1/companies/${company.id}`, { token: key.data.key })).status).toBe(200);
    expectError(await create(key.data.key, { name: 'Nope' }), 403, 'forbidden');
  });
});

describe("another organization and a company's data", () => {
  it('answers 404 by id and in sub-lists, never lists it, and leaves it as it was', async () => {
    const [a, b, eu] = await Promise.all([
      api.signup('company-iso-a'),
      api.signup('company-iso-b'),
      api.signup('company-iso-eu', { region: 'eu' }),
    ]);
    const company = await newCompany(a.token, {
      name: 'Isolated Probe',
      domain: 'isolated-probe.example',
      industry: 'Isolation',
      tags: ['probe'],
      ownerId: a.user.id,
    });
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: b.token,
      body: {
        name: api.unique('k'),
        scopes: [
          'companies:read',
          'companies:update',
          'companies:delete',
          'contacts:read',
          'deals:read',
          'activities:read',
        ],
      },
    });
    for (const token of [b.token, eu.token, key.data.key as string]) {
      for (const suffix of ['', '/contacts', '/deals', '/activities']) {
        expectError(await api.call('GET', `/api/v1/companies/${company.id}${suffix}`, { token }), 404, undefined);
      }
      expectError(
        await api.call('PATCH', `/api/v1/companies/${company.id}`, { token, body: { name: 'Mine' } }),
        404,
        'not_found',
      );
      expectError(await api.call('DELETE', `/api/v1/companies/${company.id}`, { token }), 404, 'not_found');
      for (const query of [
        '',
        '?domain=isolated-probe.example',
        '?q=Isolated',
        '?industry=Isolation',
        '?tag=probe',
        `?ownerId=${a.user.id}`,
      ]) {
        const list = await api.call('GET', `/api/v1/companies${query}`, { token });
        expect(list.status).toBe(200);
        expect(ids(list), query).not.toContain(company.id);
        if (query) expect(ids(list), query).toEqual([]);
      }
    }
    // B may use the same domain, and its own write never touches A's row.
    expect((await create(b.token, { name: 'B', domain: 'isolated-probe.example' })).status).toBe(201);
    const { shards } = stack.regions.us!.ctx;
    const [row] = await shards.withTenant(a.organization.id, (tx) =>
      tx
        .select({ version: companies.version, name: companies.name })
        .from(companies)
        .where(and(eq(companies.organizationId, a.organization.id), eq(companies.id, company.id))),
    );
    expect(row).toEqual({ version: 1, name: 'Isolated Probe' });
    const [{ n }] = (await shards.withTenant(b.organization.id, (tx) =>
      tx.select({ n: count() }).from(companies).where(eq(companies.id, company.id)),
    )) as [{ n: number }];
    expect(n).toBe(0);
  });
});
