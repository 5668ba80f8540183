import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../db/schema/index.ts';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = { token: string; user: { id: string } };
type Contact = {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  lifecycleStage: string;
  companyId: string | null;
  ownerId: string | null;
  tags: string[];
  version: number;
};

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const create = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.call('POST', '/api/v1/contacts', { token, body, headers });

async function newContact(token: string, body: Record<string, unknown> = {}): Promise<Contact> {
  const made = await create(token, { firstName: api.unique('Contact'), ...body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

async function newCompany(token: string) {
  const made = await api.call('POST', '/api/v1/companies', { token, body: { name: api.unique('Co') } });
  expect(made.status).toBe(201);
  return made.data as { id: string };
}

const ids = (reply: Reply) => (reply.data.data as { id: string }[]).map((c) => c.id);

async function storedContacts(session: Session) {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  return shards.withTenant(session.organization.id, (tx) =>
    tx.select().from(contacts).where(eq(contacts.organizationId, session.organization.id)),
  );
}

describe('contacts by role', () => {
  let admin: Session;
  let manager: Member;
  let rep: Member;
  let otherRep: Member;
  let viewer: Member;

  beforeAll(async () => {
    admin = await api.signup('contact-roles');
    [manager, rep, otherRep, viewer] = await Promise.all([
      api.member(admin.token, 'manager'),
      api.member(admin.token, 'sales_rep', 'rep'),
      api.member(admin.token, 'sales_rep', 'other-rep'),
      api.member(admin.token, 'viewer'),
    ]);
  });

  it('keeps a sales rep to their own contacts: 404 for the others, own by default, no handing over', async () => {
    const mine = await newContact(rep.token);
    expect(mine.ownerId).toBe(rep.user.id);
    const theirs = await newContact(otherRep.token);
    const unowned = await newContact(admin.token);
    for (const other of [theirs, unowned]) {
      const path = `/api/v1/contacts/${other.id}`;
      expectError(await api.call('GET', path, { token: rep.token }), 404, 'not_found');
      expectError(await api.call('PATCH', path, { token: rep.token, body: { title: 'X' } }), 404, 'not_found');
      expectError(await api.call('GET', `${path}/360`, { token: rep.token }), 404, 'not_found');
    }
    const list = await api.call('GET', '/api/v1/contacts?limit=200', { token: rep.token });
    expect(ids(list)).toEqual([mine.id]);
    expectError(await create(rep.token, { firstName: 'X', ownerId: otherRep.user.id }), 403, 'forbidden');
    expectError(
      await api.call('PATCH', `/api/v1/contacts/${mine.id}`, { token: rep.token, body: { ownerId: null } }),
      403,
      'forbidden',
    );
    expectError(await api.call('DELETE', `/api/v1/contacts/${mine.id}`, { token: rep.token }), 403, 'forbidden');
    // Companies are shared: a rep may link their contact to any company of the organization.
    const company = await newCompany(admin.token);
    const linked = await api.call('PATCH', `/api/v1/contacts/${mine.id}`, {
      token: rep.token,
      body: { companyId: company.id },
    });
    expect(linked.data.companyId).toBe(company.id);
  });

  it('lets managers and admins work every contact and viewers only read', async () => {
    const byRep = await newContact(rep.token);
    for (const member of [admin, manager]) {
      const path = `/api/v1/contacts/${(await newContact(rep.token)).id}`;
      expect((await api.call('GET', path, { token: member.token })).status).toBe(200);
      expect((await api.call('PATCH', path, { token: member.token, body: { title: 'T' } })).status).toBe(200);
      expect((await api.call('DELETE', path, { token: member.token })).status).toBe(204);
    }
    expect((await api.call('GET', `/api/v1/contacts/${byRep.id}`, { token: viewer.token })).status).toBe(200);
    expectError(await create(viewer.token, { firstName: 'No' }), 403, 'forbidden');
    expectError(
      await api.call('PATCH', `/api/v1/contacts/${byRep.id}`, { token: viewer.token, body: { title: 'T' } }),
      403,
      'forbidden',
    );
    expectError(await api.call('DELETE', `/api/v1/contacts/${byRep.id}`, { token: viewer.token }), 403, 'forbidden');
  });
});

describe("another organization and a contact's data", () => {
  it('answers 404 by id, never lists it, and cannot link it or to it', async () => {
    const [a, b, eu] = await Promise.all([
      api.signup('contact-iso-a'),
      api.signup('contact-iso-b'),
      api.signup('contact-iso-eu', { region: 'eu' }),
    ]);
    const company = await newCompany(a.token);
    const contact = await newContact(a.token, {
      firstName: 'Isolated',
      email: 'isolated@probe.example',
      companyId: company.id,
      tags: ['probe'],
      ownerId: a.user.id,
      lifecycleStage: 'evangelist',
    });
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: b.token,
      body: {
        name: api.unique('k'),
        scopes: ['contacts:read', 'contacts:update', 'contacts:delete', 'contacts:create'],
      },
    });
    for (const token of [b.token, eu.token, key.data.key as string]) {
      const path = `/api/v1/contacts/${contact.id}`;
      expectError(await api.call('GET', path, { token }), 404, 'not_found');
      expectError(await api.call('PATCH', path, { token, body: { firstName: 'Mine' } }), 404, 'not_found');
      expectError(await api.call('DELETE', path, { token }), 404, 'not_found');
      for (const query of [
        '',
        `?companyId=${company.id}`,
        '?email=isolated@probe.example',
        '?q=isolated',
        '?tag=probe',
        '?lifecycleStage=evangelist',
        `?ownerId=${a.user.id}`,
      ]) {
        const list = await api.call('GET', `/api/v1/contacts${query}`, { token });
        expect(list.status).toBe(200);
        expect(ids(list), query).toEqual([]);
      }
      expectError(await create(token, { firstName: 'Sneaky', companyId: company.id }), 400, 'unknown_company');
    }
    const [row] = await storedContacts(a);
    expect(row).toMatchObject({ id: contact.id, firstName: 'Isolated', version: 1, companyId: company.id });
    expect(await storedContacts(b)).toEqual([]);
  });
});
