import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Lead = { id: string; status: string; ownerId: string | null; source: string | null; createdAt: string };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

async function createLead(session: Session, body: Record<string, unknown>): Promise<Lead> {
  const made = await api.call('POST', '/api/v1/leads', { token: session.token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

/** Follows nextCursor to the end, returning every page; `between` runs after each page, before the next fetch. */
async function pages(token: string, query: string, between?: (page: number) => Promise<void>): Promise<Lead[][]> {
  const all: Lead[][] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(query);
    if (cursor) params.set('cursor', cursor);
    const reply = await api.call('GET', `/api/v1/leads?${params}`, { token });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    all.push(reply.data.data);
    cursor = reply.data.nextCursor;
    expect(all.length, 'pagination does not end').toBeLessThan(1_000);
    if (cursor && between) await between(all.length);
  } while (cursor);
  return all;
}

const ids = (leads: Lead[]) => leads.map((l) => l.id);

/** Newest first: ids (UUIDv7) strictly descending and creation times never increasing. */
function expectNewestFirst(leads: Lead[]) {
  for (let i = 1; i < leads.length; i++) {
    expect(leads[i - 1]!.id > leads[i]!.id, `${leads[i - 1]!.id} before ${leads[i]!.id}`).toBe(true);
    expect(Date.parse(leads[i - 1]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(leads[i]!.createdAt));
  }
}

describe('keyset pagination of GET /api/v1/leads', () => {
  it('returns every lead exactly once, newest first, whatever the page size', async () => {
    const org = await api.signup('page-all');
    const created: Lead[] = [];
    for (let i = 0; i < 23; i++) created.push(await createLead(org, { firstName: `Lead ${i}` }));
    const newestFirst = ids(created).reverse();

    for (const limit of [1, 5, 7, 23, 24, 200]) {
      const result = await pages(org.token, `limit=${limit}`);
      const flat = result.flat();
      expect(ids(flat), `limit=${limit}`).toEqual(newestFirst);
      expectNewestFirst(flat);
      for (const page of result.slice(0, -1)) expect(page).toHaveLength(limit);
      expect(result.at(-1)!.length).toBeGreaterThan(0);
      expect(result).toHaveLength(Math.ceil(23 / limit));
    }

    const first = await api.call('GET', '/api/v1/leads', { token: org.token });
    expect(ids(first.data.data)).toEqual(newestFirst);
    expect(first.data.nextCursor).toBeNull();
  });

  it('answers the same pages when asked again (stable order and cursors)', async () => {
    const org = await api.signup('page-stable');
    for (let i = 0; i < 9; i++) await createLead(org, { firstName: `Stable ${i}` });
    const once = await pages(org.token, 'limit=4');
    const twice = await pages(org.token, 'limit=4');
    expect(twice.map(ids)).toEqual(once.map(ids));
  });

  it('skips and repeats nothing while other requests insert leads between page fetches', async () => {
    const org = await api.signup('page-concurrent');
    const existing: Lead[] = [];
    for (let i = 0; i < 20; i++) existing.push(await createLead(org, { firstName: `Before ${i}` }));
    const inserted: Lead[] = [];
    const pending: Promise<void>[] = [];

    const result = await pages(org.token, 'limit=3', async (page) => {
      const batch = Promise.all(
        Array.from({ length: 3 }, (_, i) => createLead(org, { firstName: `During ${page}.${i}` })),
      ).then((made) => {
        inserted.push(...made);
      });
      // Every other batch is still being written while the next page is read, racing it.
      if (page % 2 === 0) await batch;
      else pending.push(batch);
    });
    await Promise.all(pending);
    const seen = result.flat();

    expect(new Set(ids(seen)).size, 'a lead was repeated').toBe(seen.length);
    expect(ids(seen)).toEqual(expect.arrayContaining(ids(existing)));
    const known = new Set([...ids(existing), ...ids(inserted)]);
    for (const id of ids(seen)) expect(known.has(id)).toBe(true);
    expectNewestFirst(seen);
    // Leads that existed when paging began come out in exactly their order.
    const before = new Set(ids(existing));
    expect(ids(seen).filter((id) => before.has(id))).toEqual(ids(existing).reverse());
    expect(inserted.length).toBeGreaterThan(0);

    const after = (await pages(org.token, 'limit=200')).flat();
    expect(after).toHaveLength(existing.length + inserted.length);
  });

  it('combines the status, ownerId and source filters with pagination', async () => {
    const org = await api.signup('page-filters');
    const rep = await api.member(org.token, 'sales_rep');
    const statuses = ['new', 'contacted', 'qualified'] as const;
    const sources = ['referral', 'web_form'] as const;
    const created: Lead[] = [];
    for (let i = 0; i < 24; i++) {
      created.push(
        await createLead(org, {
          firstName: `Filtered ${i}`,
          status: statuses[i % 3],
          source: sources[i % 2],
          ownerId: i % 4 < 2 ? rep.user.id : org.user.id,
        }),
      );
    }
    const expectPaged = async (query: string, keep: (lead: Lead) => boolean, token = org.token) => {
      const result = await pages(token, `limit=3&${query}`);
      const flat = result.flat();
      const wanted = created.filter(keep).reverse();
      expect(wanted.length, query).toBeGreaterThan(0);
      expect(ids(flat), query).toEqual(ids(wanted));
      for (const page of result.slice(0, -1)) expect(page, query).toHaveLength(3);
      return flat;
    };

    await expectPaged('status=qualified', (l) => l.status === 'qualified');
    await expectPaged(`ownerId=${rep.user.id}`, (l) => l.ownerId === rep.user.id);
    await expectPaged('source=referral', (l) => l.source === 'referral');
    await expectPaged('status=new&source=web_form', (l) => l.status === 'new' && l.source === 'web_form');
    await expectPaged(
      `status=contacted&source=referral&ownerId=${org.user.id}`,
      (l) => l.status === 'contacted' && l.source === 'referral' && l.ownerId === org.user.id,
    );
    const none = await api.call('GET', '/api/v1/leads?status=converted&limit=3', { token: org.token });
    expect(none.data).toEqual({ data: [], nextCursor: null });

    // A sales rep pages through only the leads they own, with and without further filters.
    await expectPaged('', (l) => l.ownerId === rep.user.id, rep.token);
    await expectPaged('status=new', (l) => l.ownerId === rep.user.id && l.status === 'new', rep.token);
  });

  it('keeps a cursor bound to its position: using it with other filters still returns only older matches', async () => {
    const org = await api.signup('page-cursor-filters');
    const created: Lead[] = [];
    for (let i = 0; i < 8; i++) {
      created.push(await createLead(org, { firstName: `C ${i}`, status: i % 2 ? 'qualified' : 'new' }));
    }
    const firstPage = await api.call('GET', '/api/v1/leads?limit=3', { token: org.token });
    const cursor = firstPage.data.nextCursor as string;
    const lastSeen = firstPage.data.data.at(-1).id as string;
    const rest = (await pages(org.token, `limit=2&status=qualified&cursor=${cursor}`)).flat();
    expect(ids(rest)).toEqual(ids(created.filter((l) => l.status === 'qualified' && l.id < lastSeen).reverse()));
  });

  it('refuses limits outside 1–200 with a 400 naming limit', async () => {
    const org = await api.signup('page-limits');
    await createLead(org, { firstName: 'Only' });
    for (const limit of ['0', '201', '-1', '1000', '1.5', 'abc']) {
      const reply = await api.call('GET', `/api/v1/leads?limit=${limit}`, { token: org.token });
      expectError(reply, 400, 'validation_failed', `limit=${limit}`);
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain('limit');
    }
    for (const limit of ['1', '200']) {
      const reply = await api.call('GET', `/api/v1/leads?limit=${limit}`, { token: org.token });
      expect(reply.status, `limit=${limit}`).toBe(200);
      expect(reply.data.data).toHaveLength(1);
    }
  });
});
