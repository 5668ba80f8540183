import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies } from '../../db/schema/index.ts';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { trailOf } from './testing.ts';

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
async function storedCompanies(session: Session) {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  return shards.withTenant(session.organization.id, async (tx) =>
    tx.select().from(companies).where(eq(companies.organizationId, session.organization.id)),
  );
}

describe('companies through the edge', () => {
  it('creates, lists, reads, edits and deletes a company, normalising what it stores', async () => {
    const org = await api.signup('company-crud');
    const made = await create(org.token, {
      name: '  Analytical Engines  ',
      domain: 'HTTPS://www.Analytical.example:443/about?x=1',
      industry: 'Computing',
      size: '51-200',
      address: { street: '12 Babbage Row', city: 'London', postalCode: 'EC1A 1BB', country: 'gb' },
      tags: [' Enterprise', 'enterprise', 'EMEA'],
    });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data).toMatchObject({
      name: 'Analytical Engines',
      domain: 'analytical.example',
      industry: 'Computing',
      size: '51-200',
      address: { street: '12 Babbage Row', city: 'London', postalCode: 'EC1A 1BB', country: 'GB' },
      ownerId: null,
      tags: ['enterprise', 'emea'],
      version: 1,
    });
    expect(made.headers.get('etag')).toBe('"v1"');
    const { id } = made.data;
    expect(made.headers.get('location')).toBe(`/api/v1/companies/${id}`);

    expect(ids(await api.call('GET', '/api/v1/companies', { token: org.token }))).toEqual([id]);
    const one = await api.call('GET', `/api/v1/companies/${id}`, { token: org.token });
    expect(one.status).toBe(200);
    expect(one.data).toEqual(made.data);
    expect(one.headers.get('etag')).toBe('"v1"');
    const unchanged = await api.call('GET', `/api/v1/companies/${id}`, {
      token: org.token,
      headers: { 'if-none-match': '"v1"' },
    });
    expect(unchanged.status).toBe(304);

    const edited = await api.call('PATCH', `/api/v1/companies/${id}`, {
      token: org.token,
      body: { size: '201-1000', industry: null, address: { city: 'Paris', country: 'fr' }, tags: [] },
      headers: { 'if-match': '"v1"' },
    });
    expect(edited.status, JSON.stringify(edited.data)).toBe(200);
    expect(edited.data).toMatchObject({
      size: '201-1000',
      industry: null,
      address: { city: 'Paris', country: 'FR' },
      tags: [],
      version: 2,
    });
    expect(edited.headers.get('etag')).toBe('"v2"');
    expect((await api.call('GET', `/api/v1/companies/${id}`, { token: org.token })).data.version).toBe(2);

    // The same values again change nothing: no new version, no audit row.
    const same = await api.call('PATCH', `/api/v1/companies/${id}`, {
      token: org.token,
      body: { size: '201-1000', address: { country: 'FR', city: 'Paris' }, domain: 'www.analytical.example' },
    });
    expect(same.data.version).toBe(2);
    const emptied = await api.call('PATCH', `/api/v1/companies/${id}`, { token: org.token, body: { address: {} } });
    expect(emptied.data).toMatchObject({ address: null, version: 3 });

    expect((await api.call('DELETE', `/api/v1/companies/${id}`, { token: org.token })).status).toBe(204);
    expectError(await api.call('GET', `/api/v1/companies/${id}`, { token: org.token }), 404, 'not_found');
    expectError(await api.call('DELETE', `/api/v1/companies/${id}`, { token: org.token }), 404, 'not_found');

    const { audit, events } = await trailOf(stack, org, id);
    expect(audit.map((a) => a.action)).toEqual([
      'company.created',
      'company.updated',
      'company.updated',
      'company.deleted',
    ]);
    expect(audit[0]).toMatchObject({ actorType: 'user', actorId: org.user.id, targetType: 'company' });
    expect(audit[1]!.changes).toMatchObject({ size: ['51-200', '201-1000'], industry: ['Computing', null] });
    expect(events.map((e) => e.eventType)).toEqual([
      'company.created',
      'company.updated',
      'company.updated',
      'company.deleted',
    ]);
    expect(events[0]!.payload).toEqual(made.data);
    expect(events[3]!.payload).toMatchObject({ companyId: id });
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const org = await api.signup('company-bad');
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 'Nul\u0000' }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'A', domain: 'not a domain' }, 'domain'],
      [{ name: 'A', domain: 'localhost' }, 'domain'],
      [{ name: 'A', domain: '10.0.0.1' }, 'domain'],
      [{ name: 'A', domain: 'ada@acme.example' }, 'domain'],
      [{ name: 'A', domain: 'https://' }, 'domain'],
      [{ name: 'A', domain: 'acme_corp.example' }, 'domain'],
      [{ name: 'A', domain: 'x'.repeat(3000) }, 'domain'],
      [{ name: 'A', domain: 7 }, 'domain'],
      [{ name: 'A', size: 'huge' }, 'size'],
      [{ name: 'A', address: { country: 'UK' } }, 'address.country'],
      [{ name: 'A', address: { country: 'GBR' } }, 'address.country'],
      [{ name: 'A', address: { planet: 'Mars' } }, 'address.planet'],
      [{ name: 'A', address: 'London' }, 'address'],
      [{ name: 'A', tags: 'vip' }, 'tags'],
      [{ name: 'A', tags: [''] }, 'tags.0'],
      [{ name: 'A', tags: ['x'.repeat(51)] }, 'tags.0'],
      [{ name: 'A', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
      [{ name: 'A', tags: [1] }, 'tags.0'],
      [{ name: 'A', ownerId: 'me' }, 'ownerId'],
      [{ name: 'A', id: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }, 'id'],
      [{ name: 'A', version: 9 }, 'version'],
      [{ name: 'A', organizationId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }, 'organizationId'],
      [{ name: 'A', customFields: { tier: 'gold' } }, 'customFields.tier'],
    ];
    for (const [body, path] of cases) {
      const reply = await create(org.token, body);
      expectError(reply, 400, 'validation_failed', JSON.stringify(body).slice(0, 80));
      expect(
        reply.data.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expectError(
      await create(org.token, { name: 'A', ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }),
      400,
      'unknown_owner',
    );
    expectError(
      await api.call('POST', '/api/v1/companies', { token: org.token, raw: '{"name":' }),
      400,
      'invalid_json',
    );
    expect(await storedCompanies(org)).toEqual([]);

    const company = await newCompany(org.token);
    const path = `/api/v1/companies/${company.id}`;
    for (const body of [{}, { name: null }, { domain: 'nope' }, { tags: null }, { version: 3 }, { size: '10' }]) {
      expectError(await api.call('PATCH', path, { token: org.token, body }), 400, 'validation_failed');
    }
    expectError(await api.call('GET', '/api/v1/companies/not-a-uuid', { token: org.token }), 400, 'validation_failed');
    for (const query of ['limit=0', 'limit=201', 'size=big', 'domain=nope', 'ownerId=x', 'q=', 'tag=']) {
      expectError(await api.call('GET', `/api/v1/companies?${query}`, { token: org.token }), 400, undefined, query);
    }
    expectError(await api.call('GET', '/api/v1/companies?cursor=abc', { token: org.token }), 400, 'invalid_cursor');
    const [row] = await storedCompanies(org);
    expect(row).toMatchObject({ version: 1, domain: null });
  });

  it('keeps a domain unique per organization and names the company that has it', async () => {
    const org = await api.signup('company-domain');
    const other = await api.signup('company-domain-other');
    const first = await newCompany(org.token, { name: 'Acme', domain: 'acme.example' });
    for (const domain of ['acme.example', 'https://www.ACME.example/', 'acme.example.', 'http://acme.example:8080/x']) {
      const taken = await create(org.token, { name: 'Acme again', domain });
      expectError(taken, 409, 'domain_taken', domain);
      expect(taken.data.error.message).toContain(first.id);
      expect(taken.data.error.details).toEqual([{ path: 'domain', message: expect.stringContaining(first.id) }]);
    }
    // Another organization is another namespace.
    expect((await create(other.token, { name: 'Their Acme', domain: 'acme.example' })).status).toBe(201);

    const second = await newCompany(org.token, { name: 'Beta', domain: 'beta.example' });
    const clash = await api.call('PATCH', `/api/v1/companies/${second.id}`, {
      token: org.token,
      body: { domain: 'WWW.acme.example' },
    });
    expectError(clash, 409, 'domain_taken');
    expect(clash.data.error.message).toContain(first.id);
    expect((await api.call('GET', `/api/v1/companies/${second.id}`, { token: org.token })).data).toMatchObject({
      domain: 'beta.example',
      version: 1,
    });

    // Clearing a domain frees it; companies without one never clash.
    const cleared = await api.call('PATCH', `/api/v1/companies/${first.id}`, {
      token: org.token,
      body: { domain: null },
    });
    expect(cleared.data.domain).toBeNull();
    expect((await create(org.token, { name: 'No domain 1' })).status).toBe(201);
    expect((await create(org.token, { name: 'No domain 2', domain: null })).status).toBe(201);
    const moved = await api.call('PATCH', `/api/v1/companies/${second.id}`, {
      token: org.token,
      body: { domain: 'acme.example' },
    });
    expect(moved.status).toBe(200);
    expect(moved.data.domain).toBe('acme.example');
  });

  it('lets exactly one of many concurrent creates have a domain; the others get 409 naming it', async () => {
    const org = await api.signup('company-domain-race');
    const forms = [
      'race.example',
      'https://race.example',
      'www.race.example',
      'RACE.example.',
      'http://race.example/a',
    ];
    const replies = await Promise.all(
      [...forms, ...forms].map((domain, i) => create(org.token, { name: `Racer ${i}`, domain })),
    );
    const won = replies.filter((r) => r.status === 201);
    expect(won, JSON.stringify(replies.map((r) => r.status))).toHaveLength(1);
    for (const lost of replies.filter((r) => r.status !== 201)) {
      expectError(lost, 409, 'domain_taken');
      expect(lost.data.error.message).toContain(won[0]!.data.id);
    }
    const stored = await storedCompanies(org);
    expect(stored.map((c) => c.domain)).toEqual(['race.example']);

    // Two companies moved to the same new domain at once: one wins, the other keeps its own.
    const [a, b] = [await newCompany(org.token, { name: 'A' }), await newCompany(org.token, { name: 'B' })];
    const moves = await Promise.all(
      [a, b].map((c) =>
        api.call('PATCH', `/api/v1/companies/${c.id}`, { token: org.token, body: { domain: 'moved.example' } }),
      ),
    );
    expect(moves.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = moves.find((r) => r.status === 200)!.data.id;
    expectError(moves.find((r) => r.status === 409)!, 409, 'domain_taken');
    expect(moves.find((r) => r.status === 409)!.data.error.message).toContain(winner);
    const after = await storedCompanies(org);
    expect(after.filter((c) => c.domain === 'moved.example').map((c) => c.id)).toEqual([winner]);
  });

  it('filters by owner, industry, size, tag, domain and name prefix, page by page', async () => {
    const org = await api.signup('company-filters');
    const rep = await api.member(org.token, 'sales_rep');
    const made: (Company & { industry: string; size: string; tags: string[] })[] = [];
    const names = ['Acme', 'acme labs', 'Acorn', 'Beta', '100% Cotton', 'A_B Corp'];
    for (const [i, name] of names.entries()) {
      made.push(
        (await newCompany(org.token, {
          name,
          industry: i % 2 ? 'Computing' : 'Retail',
          size: i % 3 ? '1-10' : '5001+',
          tags: i % 2 ? ['vip', `n${i}`] : [`n${i}`],
          ownerId: i < 3 ? rep.user.id : org.user.id,
          domain: `f${i}.example`,
        })) as never,
      );
    }
    const expectMatches = async (query: string, keep: (c: (typeof made)[number]) => boolean) => {
      const wanted = made.filter(keep).reverse();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const reply: Reply = await api.call(
          'GET',
          `/api/v1/companies?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
          { token: org.token },
        );
        expect(reply.status, query).toBe(200);
        expect(reply.data.data.length, query).toBeLessThanOrEqual(2);
        seen.push(...ids(reply));
        cursor = reply.data.nextCursor;
      } while (cursor);
      expect(seen, query).toEqual(wanted.map((c) => c.id));
    };
    await expectMatches('', () => true);
    await expectMatches(`ownerId=${rep.user.id}`, (c) => c.ownerId === rep.user.id);
    await expectMatches('industry=computing', (c) => c.industry === 'Computing');
    await expectMatches('industry=Comp', () => false);
    await expectMatches('size=5001%2B', (c) => c.size === '5001+');
    await expectMatches('tag=VIP', (c) => c.tags.includes('vip'));
    await expectMatches('domain=https://www.F3.example/about', (c) => c.domain === 'f3.example');
    await expectMatches('q=ac', (c) => c.name.toLowerCase().startsWith('ac'));
    await expectMatches('q=ACME', (c) => c.name.toLowerCase().startsWith('acme'));
    await expectMatches('q=cme', () => false);
    await expectMatches('q=100%25', (c) => c.name === '100% Cotton');
    await expectMatches('q=%25', () => false);
    await expectMatches('q=A_', (c) => c.name === 'A_B Corp');
    await expectMatches(
      `q=a&tag=vip&ownerId=${rep.user.id}`,
      (c) => c.name.toLowerCase().startsWith('a') && c.tags.includes('vip') && c.ownerId === rep.user.id,
    );
  });

  it('replays a create with the same Idempotency-Key and refuses the key with another body', async () => {
    const org = await api.signup('company-idem');
    const key = api.unique('key');
    const body = { name: 'Once Ltd', domain: 'once.example' };
    const first = await create(org.token, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    // The same domain written another way is the same request once normalised.
    const again = await create(org.token, { ...body, domain: 'https://www.once.example/' }, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await create(org.token, { name: 'Twice Ltd' }, { 'idempotency-key': key }),
      422,
      'idempotency_key_reused',
    );
    const colleague = await api.member(org.token, 'manager');
    expectError(await create(colleague.token, body, { 'idempotency-key': key }), 422, 'idempotency_key_reused');

    const raceKey = api.unique('key');
    const race = await Promise.all(
      Array.from({ length: 4 }, () => create(org.token, { name: 'Race Ltd' }, { 'idempotency-key': raceKey })),
    );
    for (const reply of race) expect(reply.status).toBe(201);
    expect(new Set(race.map((r) => r.data.id)).size).toBe(1);
    expect((await storedCompanies(org)).length).toBe(2);
  });

  it('honours If-Match on PATCH and DELETE with 412, changing nothing', async () => {
    const org = await api.signup('company-if-match');
    const company = await newCompany(org.token, { name: 'Versioned' });
    const path = `/api/v1/companies/${company.id}`;
    const ok = await api.call('PATCH', path, {
      token: org.token,
      body: { industry: 'Steam' },
      headers: { 'if-match': '"v1"' },
    });
    expect(ok.data.version).toBe(2);
    expectError(
      await api.call('PATCH', path, { token: org.token, body: { industry: 'Gas' }, headers: { 'if-match': '"v1"' } }),
      412,
      'precondition_failed',
    );
    expectError(await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v1"' } }), 412);
    const [row] = await storedCompanies(org);
    expect(row).toMatchObject({ industry: 'Steam', version: 2 });
    expect((await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v2"' } })).status).toBe(204);
  });
});
