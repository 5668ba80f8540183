import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../db/schema/index.ts';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { seedActivity, seedDeal, storedActivity, storedDeal, trailOf } from '../companies/testing.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
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

describe('contacts through the edge', () => {
  it('creates, lists, reads, edits and deletes a contact, with its audit rows and events', async () => {
    const org = await api.signup('contact-crud');
    const company = await newCompany(org.token);
    const made = await create(org.token, {
      firstName: ' Ada ',
      lastName: 'Lovelace',
      email: 'Ada@Analytical.example',
      phone: '+44 20 7946 0958',
      title: 'Analyst',
      companyId: company.id,
      tags: ['Champion', 'champion '],
    });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@analytical.example',
      lifecycleStage: 'lead',
      companyId: company.id,
      ownerId: null,
      leadId: null,
      marketingEmailConsent: false,
      consentSource: null,
      consentGivenAt: null,
      tags: ['champion'],
      version: 1,
    });
    expect(made.headers.get('etag')).toBe('"v1"');
    const { id } = made.data;
    expect(made.headers.get('location')).toBe(`/api/v1/contacts/${id}`);

    expect(ids(await api.call('GET', '/api/v1/contacts', { token: org.token }))).toEqual([id]);
    const one = await api.call('GET', `/api/v1/contacts/${id}`, { token: org.token });
    expect(one.data).toEqual(made.data);
    expect(
      (await api.call('GET', `/api/v1/contacts/${id}`, { token: org.token, headers: { 'if-none-match': '"v1"' } }))
        .status,
    ).toBe(304);

    const edited = await api.call('PATCH', `/api/v1/contacts/${id}`, {
      token: org.token,
      body: { lifecycleStage: 'customer', title: null, companyId: null, ownerId: org.user.id },
      headers: { 'if-match': '"v1"' },
    });
    expect(edited.status, JSON.stringify(edited.data)).toBe(200);
    expect(edited.data).toMatchObject({
      lifecycleStage: 'customer',
      title: null,
      companyId: null,
      ownerId: org.user.id,
      version: 2,
    });
    expect(edited.headers.get('etag')).toBe('"v2"');
    const same = await api.call('PATCH', `/api/v1/contacts/${id}`, {
      token: org.token,
      body: { lifecycleStage: 'customer', email: 'ADA@analytical.example' },
    });
    expect(same.data.version).toBe(2);

    expect((await api.call('DELETE', `/api/v1/contacts/${id}`, { token: org.token })).status).toBe(204);
    expectError(await api.call('GET', `/api/v1/contacts/${id}`, { token: org.token }), 404, 'not_found');

    const { audit, events } = await trailOf(stack, org, id);
    expect(audit.map((a) => a.action)).toEqual(['contact.created', 'contact.updated', 'contact.deleted']);
    expect(audit[1]!.changes).toMatchObject({ lifecycleStage: ['lead', 'customer'], companyId: [company.id, null] });
    expect(events.map((e) => e.eventType)).toEqual(['contact.created', 'contact.updated', 'contact.deleted']);
    expect(events[0]!.payload).toEqual(made.data);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const org = await api.signup('contact-bad');
    const foreign = await newCompany((await api.signup('contact-bad-foreign')).token);
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'firstName'],
      [{ title: 'CEO' }, 'firstName'],
      [{ firstName: '   ' }, 'firstName'],
      [{ firstName: 'A', email: 'not-an-email' }, 'email'],
      [{ firstName: 'A', phone: 'call me' }, 'phone'],
      [{ firstName: 'A', lifecycleStage: 'prospect' }, 'lifecycleStage'],
      [{ firstName: 'A', companyId: 'acme' }, 'companyId'],
      [{ firstName: 'A', tags: ['x'.repeat(51)] }, 'tags.0'],
      [{ firstName: 'A', marketingEmailConsent: 'yes' }, 'marketingEmailConsent'],
      [{ firstName: 'A', marketingEmailConsent: true }, 'consentSource'],
      [{ firstName: 'A', marketingEmailConsent: true, consentSource: '  ' }, 'consentSource'],
      [{ firstName: 'A', consentSource: 'web_form' }, 'consentSource'],
      [{ firstName: 'A', consentGivenAt: '2020-01-01T00:00:00Z' }, 'consentGivenAt'],
      [{ firstName: 'A', leadId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }, 'leadId'],
      [{ firstName: 'A', version: 2 }, 'version'],
      [{ firstName: 'A\u0000' }, 'firstName'],
    ];
    for (const [body, path] of cases) {
      const reply = await create(org.token, body);
      expectError(reply, 400, 'validation_failed', JSON.stringify(body));
      expect(
        reply.data.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    for (const companyId of [foreign.id, '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e']) {
      const reply = await create(org.token, { firstName: 'A', companyId });
      expectError(reply, 400, 'unknown_company');
      expect(reply.data.error.details).toEqual([{ path: 'companyId', message: expect.any(String) }]);
    }
    expectError(
      await create(org.token, { firstName: 'A', ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }),
      400,
      'unknown_owner',
    );
    expect(await storedContacts(org)).toEqual([]);

    const contact = await newContact(org.token);
    const path = `/api/v1/contacts/${contact.id}`;
    for (const body of [
      {},
      { email: 'x' },
      { consentSource: 'verbal' },
      { marketingEmailConsent: true },
      { id: 'x' },
    ]) {
      expectError(await api.call('PATCH', path, { token: org.token, body }), 400, 'validation_failed');
    }
    expectError(
      await api.call('PATCH', path, { token: org.token, body: { companyId: foreign.id } }),
      400,
      'unknown_company',
    );
    for (const query of ['limit=0', 'lifecycleStage=x', 'email=nope', 'companyId=1', 'q=', 'cursor=%%%']) {
      expectError(await api.call('GET', `/api/v1/contacts?${query}`, { token: org.token }), 400, undefined, query);
    }
    expect((await storedContacts(org))[0]).toMatchObject({ version: 1, companyId: null });
  });

  it('filters by owner, company, lifecycle stage, tag, email and name or email prefix, page by page', async () => {
    const org = await api.signup('contact-filters');
    const rep = await api.member(org.token, 'sales_rep');
    const [acme, beta] = [await newCompany(org.token), await newCompany(org.token)];
    const people = [
      ['Ada', 'Lovelace', 'ada@analytical.example'],
      ['Adam', 'Smith', 'adam@econ.example'],
      ['Grace', 'Hopper', 'grace@navy.example'],
      ['Alan', 'Turing', 'alan@bletchley.example'],
      ['Barbara', 'Liskov', 'barbara@mit.example'],
      ['Edsger', 'Dijkstra', null],
      ['Linus', '100%_Real', 'l@x.example'],
    ] as const;
    const made: Contact[] = [];
    for (const [i, [firstName, lastName, email]] of people.entries()) {
      made.push(
        await newContact(org.token, {
          firstName,
          lastName,
          email,
          lifecycleStage: i % 2 ? 'customer' : 'lead',
          companyId: i % 3 === 0 ? acme.id : i % 3 === 1 ? beta.id : null,
          ownerId: i < 4 ? rep.user.id : org.user.id,
          tags: i % 2 ? ['vip'] : [],
        }),
      );
    }
    const expectMatches = async (query: string, keep: (c: Contact) => boolean, token = org.token) => {
      const wanted = made.filter(keep).reverse();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const reply: Reply = await api.call(
          'GET',
          `/api/v1/contacts?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        );
        expect(reply.status, query).toBe(200);
        seen.push(...ids(reply));
        cursor = reply.data.nextCursor;
      } while (cursor);
      expect(seen, query).toEqual(wanted.map((c) => c.id));
    };
    await expectMatches('', () => true);
    await expectMatches(`ownerId=${rep.user.id}`, (c) => c.ownerId === rep.user.id);
    await expectMatches(`companyId=${acme.id}`, (c) => c.companyId === acme.id);
    await expectMatches('lifecycleStage=customer', (c) => c.lifecycleStage === 'customer');
    await expectMatches('tag=VIP', (c) => c.tags.includes('vip'));
    await expectMatches('email=GRACE@navy.example', (c) => c.email === 'grace@navy.example');
    await expectMatches('q=ad', (c) => c.firstName.startsWith('Ad'));
    await expectMatches('q=tur', (c) => c.lastName === 'Turing');
    await expectMatches('q=grace%20h', (c) => c.firstName === 'Grace');
    await expectMatches('q=barbara@', (c) => c.firstName === 'Barbara');
    await expectMatches('q=ovelace', () => false);
    await expectMatches('q=100%25_', (c) => c.firstName === 'Linus');
    await expectMatches('q=_', () => false);
    await expectMatches(`q=a&lifecycleStage=lead&companyId=${acme.id}`, (c) => c.firstName === 'Ada');
    // A sales rep pages through only their own, whatever they filter on.
    await expectMatches('', (c) => c.ownerId === rep.user.id, rep.token);
    await expectMatches(`ownerId=${org.user.id}`, () => false, rep.token);
    await expectMatches('tag=vip', (c) => c.ownerId === rep.user.id && c.tags.includes('vip'), rep.token);
  });

  it('replays a create with the same Idempotency-Key and honours If-Match', async () => {
    const org = await api.signup('contact-idem');
    const key = api.unique('key');
    const body = { firstName: 'Once', email: 'once@example.com', marketingEmailConsent: true, consentSource: 'import' };
    const first = await create(org.token, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const again = await create(org.token, body, { 'idempotency-key': key });
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await create(org.token, { firstName: 'Twice' }, { 'idempotency-key': key }),
      422,
      'idempotency_key_reused',
    );
    const raceKey = api.unique('key');
    const race = await Promise.all(
      Array.from({ length: 4 }, () => create(org.token, { firstName: 'Race' }, { 'idempotency-key': raceKey })),
    );
    expect(new Set(race.map((r) => r.data.id)).size).toBe(1);
    expect(await storedContacts(org)).toHaveLength(2);
    // One consent audit row, however often the create was replayed.
    expect((await trailOf(stack, org, first.data.id)).audit.map((a) => a.action)).toEqual([
      'contact.created',
      'contact.consent_given',
    ]);

    const path = `/api/v1/contacts/${first.data.id}`;
    expect(
      (await api.call('PATCH', path, { token: org.token, body: { title: 'A' }, headers: { 'if-match': '"v1"' } }))
        .status,
    ).toBe(200);
    expectError(
      await api.call('PATCH', path, { token: org.token, body: { title: 'B' }, headers: { 'if-match': '"v1"' } }),
      412,
      'precondition_failed',
    );
    expectError(await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v1"' } }), 412);
    expect((await api.call('GET', path, { token: org.token })).data).toMatchObject({ title: 'A', version: 2 });
  });

  it('unlinks the deals and activities of a deleted contact in the same transaction', async () => {
    const org = await api.signup('contact-delete');
    const contact = await newContact(org.token);
    const deal = await seedDeal(stack, org, { contactId: contact.id });
    const activity = await seedActivity(stack, org, { contactId: contact.id });
    expect((await api.call('DELETE', `/api/v1/contacts/${contact.id}`, { token: org.token })).status).toBe(204);
    expect(await storedDeal(stack, org, deal.id)).toMatchObject({ contactId: null, version: 2 });
    expect(await storedActivity(stack, org, activity.id)).toMatchObject({ contactId: null, version: 2 });
    const { audit } = await trailOf(stack, org, contact.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'contact.deleted',
      changes: { unlinked: { dealIds: [deal.id], activityIds: [activity.id] } },
    });
  });
});
