import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { seedActivity, seedDeal, storedActivity, storedDeal, trailOf } from './testing.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = { token: string; user: { id: string } };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Session;
let rep: Member;
let viewer: Member;

beforeAll(async () => {
  // Deals and activities are written straight to the shard here, which the edge's read cache would not notice.
  stack = await startTestStack({ edge: { cacheTtlSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('company-related');
  [rep, viewer] = await Promise.all([api.member(admin.token, 'sales_rep'), api.member(admin.token, 'viewer')]);
});
afterAll(() => stack?.stop());

const ids = (items: { id: string }[]) => items.map((i) => i.id);

async function newCompany(token: string, body: Record<string, unknown> = {}) {
  const made = await api.call('POST', '/api/v1/companies', { token, body: { name: api.unique('Co'), ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; version: number };
}

async function newContact(token: string, body: Record<string, unknown>) {
  const made = await api.call('POST', '/api/v1/contacts', { token, body: { firstName: api.unique('C'), ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; version: number; companyId: string | null };
}

/** Every page of a list, following nextCursor. */
async function everyPage(token: string, path: string, limit: number) {
  const pages: { id: string }[][] = [];
  let cursor: string | null = null;
  do {
    const reply: Reply = await api.call('GET', `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    pages.push(reply.data.data);
    cursor = reply.data.nextCursor;
  } while (cursor);
  return pages;
}

describe("a company's contacts, deals and activities", () => {
  it('lists each newest first, page by page, showing a sales rep only their own', async () => {
    const company = await newCompany(admin.token);
    const elsewhere = await newCompany(admin.token);
    const contacts = [];
    for (let i = 0; i < 5; i++) {
      contacts.push(await newContact(admin.token, { companyId: company.id, ownerId: i < 2 ? rep.user.id : null }));
    }
    await newContact(admin.token, { companyId: elsewhere.id, ownerId: rep.user.id });
    const deals = [];
    const activities = [];
    for (let i = 0; i < 5; i++) {
      const ownerId = i % 2 ? rep.user.id : admin.user.id;
      deals.push(
        await seedDeal(stack, admin, {
          name: `Deal ${i}`,
          companyId: company.id,
          ownerId,
          amount: `${1000 + i}.50`,
          currency: 'EUR',
          status: i === 4 ? 'won' : 'open',
          stage: i === 4 ? 4 : 1,
          expectedCloseDate: '2027-01-31',
        }),
      );
      activities.push(
        await seedActivity(stack, admin, { subject: `Call ${i}`, companyId: company.id, ownerId, done: i === 0 }),
      );
    }
    await seedDeal(stack, admin, { companyId: elsewhere.id, ownerId: rep.user.id });
    await seedActivity(stack, admin, { companyId: elsewhere.id, ownerId: rep.user.id });

    const base = `/api/v1/companies/${company.id}`;
    for (const limit of [1, 2, 50]) {
      expect(ids((await everyPage(admin.token, `${base}/contacts`, limit)).flat())).toEqual(ids(contacts).reverse());
      expect(ids((await everyPage(admin.token, `${base}/deals`, limit)).flat())).toEqual(ids(deals).reverse());
      expect(ids((await everyPage(admin.token, `${base}/activities`, limit)).flat())).toEqual(
        ids(activities).reverse(),
      );
    }
    const [dealPage] = await everyPage(admin.token, `${base}/deals`, 50);
    expect(dealPage![0]).toEqual({
      id: deals[4]!.id,
      name: 'Deal 4',
      amount: '1004.50',
      currency: 'EUR',
      stage: { id: deals[4]!.stage.id, name: 'Closed won', probability: 100 },
      status: 'won',
      expectedCloseDate: '2027-01-31',
    });
    const [activityPage] = await everyPage(admin.token, `${base}/activities`, 50);
    expect(activityPage!.at(-1)).toEqual({
      id: activities[0]!.id,
      type: 'call',
      subject: 'Call 0',
      dueAt: null,
      done: true,
      createdAt: activities[0]!.createdAt.toISOString(),
    });

    // The rep sees the company, but only the contacts, deals and activities they own.
    const mine = <T extends { ownerId: string | null; id: string }>(rows: T[]) =>
      ids(rows.filter((r) => r.ownerId === rep.user.id)).reverse();
    expect(ids((await everyPage(rep.token, `${base}/contacts`, 1)).flat())).toEqual(mine(contacts as never));
    expect(ids((await everyPage(rep.token, `${base}/deals`, 1)).flat())).toEqual(mine(deals));
    expect(ids((await everyPage(rep.token, `${base}/activities`, 1)).flat())).toEqual(mine(activities));
    expect(ids((await everyPage(viewer.token, `${base}/deals`, 2)).flat())).toEqual(ids(deals).reverse());
  });

  it('answers 404 for a company that does not exist, 400 for a bad id or cursor, 403 without the permission', async () => {
    const missing = '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e';
    for (const list of ['contacts', 'deals', 'activities']) {
      expectError(
        await api.call('GET', `/api/v1/companies/${missing}/${list}`, { token: admin.token }),
        404,
        'not_found',
      );
      expectError(await api.call('GET', `/api/v1/companies/nope/${list}`, { token: admin.token }), 400);
      const company = await newCompany(admin.token);
      expectError(
        await api.call('GET', `/api/v1/companies/${company.id}/${list}?cursor=zzz`, { token: admin.token }),
        400,
        'invalid_cursor',
      );
      expectError(
        await api.call('GET', `/api/v1/companies/${company.id}/${list}?limit=500`, { token: admin.token }),
        400,
        'validation_failed',
      );
    }
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: api.unique('k'), scopes: ['companies:read', 'contacts:read'] },
    });
    const company = await newCompany(admin.token);
    expect((await api.call('GET', `/api/v1/companies/${company.id}/contacts`, { token: key.data.key })).status).toBe(
      200,
    );
    for (const list of ['deals', 'activities']) {
      expectError(
        await api.call('GET', `/api/v1/companies/${company.id}/${list}`, { token: key.data.key }),
        403,
        'forbidden',
      );
    }
  });
});

describe('deleting a company', () => {
  it('unlinks its contacts, deals and activities in the same transaction, and records what it unlinked', async () => {
    const company = await newCompany(admin.token, { domain: 'unlinked.example' });
    const other = await newCompany(admin.token);
    const contact = await newContact(admin.token, { companyId: company.id });
    const repContact = await newContact(rep.token, { companyId: company.id });
    const bystander = await newContact(admin.token, { companyId: other.id });
    const deal = await seedDeal(stack, admin, { companyId: company.id, contactId: contact.id });
    const activity = await seedActivity(stack, admin, { companyId: company.id, contactId: contact.id });
    const otherDeal = await seedDeal(stack, admin, { companyId: other.id });

    // A stale If-Match refuses the whole deletion: nothing is unlinked either.
    await api.call('PATCH', `/api/v1/companies/${company.id}`, { token: admin.token, body: { industry: 'Gone' } });
    expectError(
      await api.call('DELETE', `/api/v1/companies/${company.id}`, {
        token: admin.token,
        headers: { 'if-match': '"v1"' },
      }),
      412,
      'precondition_failed',
    );
    expect((await api.call('GET', `/api/v1/contacts/${contact.id}`, { token: admin.token })).data.companyId).toBe(
      company.id,
    );
    expect((await storedDeal(stack, admin, deal.id))!.companyId).toBe(company.id);

    const deleted = await api.call('DELETE', `/api/v1/companies/${company.id}`, {
      token: admin.token,
      headers: { 'if-match': '"v2"' },
    });
    expect(deleted.status).toBe(204);

    for (const c of [contact, repContact]) {
      const reread = await api.call('GET', `/api/v1/contacts/${c.id}`, { token: admin.token });
      expect(reread.data).toMatchObject({ companyId: null, version: 2 });
      expect(reread.headers.get('etag')).toBe('"v2"');
    }
    expect((await api.call('GET', `/api/v1/contacts/${bystander.id}`, { token: admin.token })).data).toMatchObject({
      companyId: other.id,
      version: 1,
    });
    expect(await storedDeal(stack, admin, deal.id)).toMatchObject({
      companyId: null,
      contactId: contact.id,
      version: 2,
    });
    expect(await storedActivity(stack, admin, activity.id)).toMatchObject({ companyId: null, version: 2 });
    expect(await storedDeal(stack, admin, otherDeal.id)).toMatchObject({ companyId: other.id, version: 1 });
    const contactsOfOther = await api.call('GET', `/api/v1/contacts?companyId=${company.id}`, { token: admin.token });
    expect(contactsOfOther.data.data).toEqual([]);

    const { audit, events } = await trailOf(stack, admin, company.id);
    const removal = audit.find((a) => a.action === 'company.deleted')!;
    expect(removal.changes).toMatchObject({
      domain: 'unlinked.example',
      unlinked: {
        contactIds: expect.arrayContaining([contact.id, repContact.id]),
        dealIds: [deal.id],
        activityIds: [activity.id],
      },
    });
    expect(events.at(-1)).toMatchObject({
      eventType: 'company.deleted',
      payload: { companyId: company.id, unlinked: { dealIds: [deal.id] } },
    });
    // The domain is free again.
    expect((await newCompany(admin.token, { domain: 'unlinked.example' })).id).not.toBe(company.id);
  });

  it('leaves no contact pointing at it when contacts are linked to it while it is deleted', async () => {
    const company = await newCompany(admin.token);
    const existing = await newContact(admin.token, { companyId: company.id });
    const body = (i: number) => ({ firstName: `Racing ${i}`, companyId: company.id });
    const [deleted, ...replies] = await Promise.all([
      api.call('DELETE', `/api/v1/companies/${company.id}`, { token: admin.token }),
      ...Array.from({ length: 6 }, (_, i) =>
        api.call('POST', '/api/v1/contacts', { token: admin.token, body: body(i) }),
      ),
      api.call('PATCH', `/api/v1/contacts/${existing.id}`, { token: admin.token, body: { title: 'Racing' } }),
    ]);
    expect(deleted!.status).toBe(204);
    for (const reply of replies) {
      if (reply.status >= 400) expectError(reply, 400, 'unknown_company');
      else expect(reply.status, JSON.stringify(reply.data)).toBeLessThan(300);
    }
    const linked = await api.call('GET', `/api/v1/contacts?companyId=${company.id}`, { token: admin.token });
    expect(linked.data.data).toEqual([]);
    expect(
      (await api.call('GET', `/api/v1/contacts/${existing.id}`, { token: admin.token })).data.companyId,
    ).toBeNull();
  });
});
