import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Lead = {
  id: string;
  firstName: string;
  lastName: string;
  company: string | null;
  status: string;
  score: number;
  ownerId: string | null;
};

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  // A fresh stack runs every migration; on a loaded machine that outlasts the default hook timeout.
}, 600_000);
afterAll(() => stack?.stop());

/** Leads whose fields vary so scores, companies, statuses and names repeat: ties must be broken by id. */
function leadRecord(i: number, ownerId?: string) {
  return {
    firstName: ['ada', 'bob', 'cy', 'dee'][i % 4],
    lastName: `l${String(i % 7).padStart(2, '0')}`,
    email: i % 3 === 0 ? `p${i}@gmail.com` : `p${i}@firm${i % 5}.example`,
    ...(i % 2 ? { title: 'Director' } : {}),
    ...(i % 5 ? { phone: '+44 20 7946 0958' } : {}),
    ...(i % 4 === 3 ? {} : { company: ['Zeta', 'alpha', 'Mid'][i % 3] }),
    status: ['new', 'contacted', 'qualified'][i % 3],
    source: i % 2 ? 'referral' : 'web_form',
    ...(ownerId ? { ownerId } : {}),
  };
}

async function seed(session: Session, count: number, ownerOf?: (i: number) => string | undefined): Promise<Lead[]> {
  const records = Array.from({ length: count }, (_, i) => leadRecord(i, ownerOf?.(i)));
  const reply = await api.call('POST', '/api/v1/leads/batch', {
    token: session.token,
    body: { mode: 'create', records },
  });
  expect(reply.status, JSON.stringify(reply.data).slice(0, 500)).toBe(200);
  return (await pages(session.token, 'limit=200')).flat();
}

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
const sortKeys = {
  score: (l: Lead) => l.score,
  status: (l: Lead) => l.status,
  company: (l: Lead) => (l.company ?? '').toLowerCase(),
  name: (l: Lead) => `${l.firstName} ${l.lastName}`.toLowerCase(),
  createdAt: () => 0,
} as const;

/** Ordered by the key (the seed's values are plain lower-case ASCII, ordered alike in every collation), then id. */
function expectOrdered(leads: Lead[], sort: string) {
  const descending = sort.startsWith('-');
  const key = sortKeys[sort.replace('-', '') as keyof typeof sortKeys];
  for (let i = 1; i < leads.length; i++) {
    const [a, b] = [leads[i - 1]!, leads[i]!];
    const [x, y] = [key(a), key(b)];
    const inOrder = x === y ? (descending ? a.id > b.id : a.id < b.id) : descending ? x > y : x < y;
    expect(inOrder, `${sort}: ${JSON.stringify(a)} before ${JSON.stringify(b)}`).toBe(true);
  }
}

describe('sorting GET /api/v1/leads with keyset pagination', { timeout: 300_000 }, () => {
  it('pages through every sort order, each lead exactly once, in order, whatever the page size', async () => {
    const org = await api.signup('sort-all');
    const all = await seed(org, 60);
    expect(all).toHaveLength(60);
    for (const sort of ['score', '-score', 'status', '-status', 'company', '-company', 'name', '-name', 'createdAt']) {
      for (const limit of [7, 200]) {
        const result = await pages(org.token, `limit=${limit}&sort=${sort}`);
        const flat = result.flat();
        expect(new Set(ids(flat)).size, sort).toBe(60);
        expectOrdered(flat, sort);
        if (limit === 7) expect(result).toHaveLength(Math.ceil(60 / 7));
      }
    }
    expect(ids((await pages(org.token, 'limit=9&sort=-createdAt')).flat())).toEqual(ids(all));
    expect(ids((await pages(org.token, 'limit=9&sort=createdAt')).flat())).toEqual(ids(all).reverse());
  });

  it('skips and repeats nothing under a sort while leads are inserted between pages', async () => {
    const org = await api.signup('sort-concurrent');
    const existing = await seed(org, 40);
    const inserted: string[] = [];
    const result = await pages(org.token, 'limit=6&sort=-score', async (page) => {
      const made = await api.call('POST', '/api/v1/leads/batch', {
        token: org.token,
        body: { mode: 'create', records: [leadRecord(page), leadRecord(page + 1), leadRecord(page + 2)] },
      });
      expect(made.status).toBe(200);
      inserted.push(...made.data.results.map((r: { id: string }) => r.id));
    });
    const seen = result.flat();
    expect(new Set(ids(seen)).size, 'a lead was repeated').toBe(seen.length);
    expect(ids(seen)).toEqual(expect.arrayContaining(ids(existing)));
    expectOrdered(seen, '-score');
    expect(inserted.length).toBeGreaterThan(0);
  });

  it('filters by score range, tag and text, combined with a sort and counted alike', async () => {
    const org = await api.signup('sort-filters');
    const all = await seed(org, 30);
    const tagged = all.filter((_, i) => i % 3 === 0).map((l) => l.id);
    const tagging = await api.call('POST', '/api/v1/leads/bulk', {
      token: org.token,
      body: { action: 'add_tags', value: ['Hot'], select: { ids: tagged } },
    });
    expect(tagging.status, JSON.stringify(tagging.data)).toBe(200);
    const scores = all.map((l) => l.score).sort((a, b) => a - b);
    const [low, high] = [scores[5]!, scores[20]!];
    const cases: [string, (l: Lead) => boolean][] = [
      [`scoreMin=${low}&scoreMax=${high}`, (l) => l.score >= low && l.score <= high],
      ['tag=hot', (l) => tagged.includes(l.id)],
      ['q=BO', (l) => l.firstName === 'bob'],
      ['q=alp', (l) => l.company === 'alpha'],
      ['q=cy%20l03', (l) => l.firstName === 'cy' && l.lastName === 'l03'],
      [`q=p1@&scoreMin=${low}`, (l) => l.score >= low && all.indexOf(l) >= 0 && /^p1@/.test(emailOf(all, l))],
      ['status=qualified&tag=hot', (l) => l.status === 'qualified' && tagged.includes(l.id)],
    ];
    for (const [query, keep] of cases) {
      const wanted = all.filter(keep);
      const listed = (await pages(org.token, `limit=4&sort=-score&${query}`)).flat();
      expect(new Set(ids(listed)), query).toEqual(new Set(ids(wanted)));
      expectOrdered(listed, '-score');
      const counted = await api.call('GET', `/api/v1/leads/count?${query}`, { token: org.token });
      expect(counted.status, query).toBe(200);
      expect(counted.data, query).toEqual({ count: wanted.length });
    }
    // A bulk selection and an export by the same filter take exactly the listed leads.
    const selected = await api.call('POST', '/api/v1/leads/bulk', {
      token: org.token,
      body: { action: 'set_status', value: 'contacted', select: { filter: { q: 'bo', tag: 'hot' } } },
    });
    expect(selected.status, JSON.stringify(selected.data)).toBe(200);
    const expected = all.filter((l) => l.firstName === 'bob' && tagged.includes(l.id));
    expect(new Set(selected.data.results.map((r: { id: string }) => r.id))).toEqual(new Set(ids(expected)));
    const csv = await api.call('GET', `/api/v1/exports/leads.csv?scoreMin=${high}`, { token: org.token });
    expect(csv.status).toBe(200);
    expect((csv.data as string).trim().split('\n').length - 1).toBe(all.filter((l) => l.score >= high).length);
  });

  it('refuses a cursor of another sort, an empty score range and unknown sorts with a 400', async () => {
    const org = await api.signup('sort-errors');
    await seed(org, 5);
    const first = await api.call('GET', '/api/v1/leads?limit=2&sort=score', { token: org.token });
    const cursor = first.data.nextCursor as string;
    expect(cursor).toBeTruthy();
    for (const sort of ['-score', 'name', '-createdAt', 'createdAt']) {
      const reply = await api.call('GET', `/api/v1/leads?limit=2&sort=${sort}&cursor=${cursor}`, { token: org.token });
      expectError(reply, 400, 'invalid_cursor', sort);
    }
    const newest = await api.call('GET', '/api/v1/leads?limit=2', { token: org.token });
    expectError(
      await api.call('GET', `/api/v1/leads?limit=2&sort=score&cursor=${newest.data.nextCursor}`, { token: org.token }),
      400,
      'invalid_cursor',
    );
    const empty = await api.call('GET', '/api/v1/leads?scoreMin=60&scoreMax=40', { token: org.token });
    expectError(empty, 400, 'validation_failed');
    expect(empty.data.error.details.map((d: { path: string }) => d.path)).toContain('scoreMin');
    for (const query of ['sort=email', 'sort=--score', 'scoreMin=101', 'scoreMax=-1', 'q=']) {
      expectError(await api.call('GET', `/api/v1/leads?${query}`, { token: org.token }), 400, 'validation_failed');
    }
    expectError(
      await api.call('GET', '/api/v1/leads/count?scoreMin=x', { token: org.token }),
      400,
      'validation_failed',
    );
  });

  it('keeps organizations apart and shows a sales rep only their own leads, sorted and counted', async () => {
    const org = await api.signup('sort-tenant');
    const rep = await api.member(org.token, 'sales_rep');
    const other = await api.signup('sort-tenant-other');
    const all = await seed(org, 24, (i) => (i % 3 === 0 ? rep.user.id : undefined));
    const theirs = await seed(other, 10);
    for (const sort of ['-score', 'name', 'company']) {
      const seen = (await pages(org.token, `limit=5&sort=${sort}`)).flat();
      expect(new Set(ids(seen))).toEqual(new Set(ids(all)));
      const repSees = (await pages(rep.token, `limit=5&sort=${sort}`)).flat();
      expect(repSees.length).toBe(8);
      expect(repSees.every((l) => l.ownerId === rep.user.id)).toBe(true);
      expectOrdered(repSees, sort);
      const otherSees = (await pages(other.token, `limit=5&sort=${sort}`)).flat();
      expect(new Set(ids(otherSees))).toEqual(new Set(ids(theirs)));
    }
    expect((await api.call('GET', '/api/v1/leads/count', { token: rep.token })).data).toEqual({ count: 8 });
    expect((await api.call('GET', '/api/v1/leads/count', { token: org.token })).data).toEqual({ count: 24 });
    expect((await api.call('GET', '/api/v1/leads/count', { token: other.token })).data).toEqual({ count: 10 });
    // Another organization's cursor finds nothing of this one's.
    const cursor = (await api.call('GET', '/api/v1/leads?limit=1&sort=name', { token: org.token })).data.nextCursor;
    const crossed = await api.call('GET', `/api/v1/leads?sort=name&limit=200&cursor=${cursor}`, { token: other.token });
    expect(crossed.status).toBe(200);
    expect(ids(crossed.data.data).every((id) => ids(theirs).includes(id))).toBe(true);
  });
});

function emailOf(all: Lead[], lead: Lead): string {
  return (all.find((l) => l.id === lead.id) as Lead & { email: string }).email;
}
