import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { companies, contacts, deals } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { ensureDefaultPipeline } from '../pipelines/defaults.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let a: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let b: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let companyId: string;
let adaId: string;

const titles = (reply: { data: { data: { title: string }[] } }) => reply.data.data.map((hit) => hit.title);
const search = (token: string, query: string) => api.call('GET', `/api/v1/search?${query}`, { token });

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  [a, b] = await Promise.all([api.signup('search-a'), api.signup('search-b')]);
  const made = await api.call('POST', '/api/v1/leads', {
    token: a.token,
    body: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@analytical.example', company: 'Analytical Engines' },
  });
  adaId = made.data.id;
  await api.call('POST', '/api/v1/leads', { token: a.token, body: { firstName: 'Grace', lastName: 'Hopper' } });
  await api.call('POST', '/api/v1/leads', { token: b.token, body: { firstName: 'Ada', lastName: 'Byron' } });
  // Contacts, companies and deals have their own API; here they are written straight to the shard.
  companyId = newId();
  const org = a.organization.id;
  await stack.regions.us!.ctx.shards.withTenant(org, async (tx) => {
    await tx
      .insert(companies)
      .values({ organizationId: org, id: companyId, name: 'Analytical Engines Ltd', domain: 'analytical.example' });
    await tx
      .insert(contacts)
      .values({ organizationId: org, id: newId(), firstName: 'Charles', lastName: 'Babbage', ownerId: a.user.id });
    const { pipeline, stages } = await ensureDefaultPipeline(tx, org);
    await tx.insert(deals).values({
      organizationId: org,
      id: newId(),
      name: 'Difference engine No. 2',
      amount: '17000.00',
      pipelineId: pipeline.id,
      stageId: stages[0]!.id,
      ownerId: a.user.id,
    });
  });
});
afterAll(() => stack?.stop());

describe('search', () => {
  it("finds by word prefix across types, best first, only in the caller's organization", async () => {
    const reply = await search(a.token, 'q=ada');
    expect(reply.status).toBe(200);
    expect(reply.data.backend).toBe('postgres');
    expect(titles(reply)).toEqual(['Ada Lovelace']);
    expect(reply.data.data[0]).toMatchObject({
      type: 'lead',
      id: adaId,
      subtitle: 'Analytical Engines · ada@analytical.example',
    });
    expect(titles(await search(b.token, 'q=ada'))).toEqual(['Ada Byron']);
    expect(titles(await search(a.token, 'q=lovel'))).toEqual(['Ada Lovelace']);
  });

  it('forgives typos', async () => {
    expect(titles(await search(a.token, 'q=lovelase'))).toContain('Ada Lovelace');
    expect(titles(await search(a.token, 'q=babage'))).toContain('Charles Babbage');
  });

  it('finds a whole email address, companies by domain, deals by name, and filters by type', async () => {
    expect(titles(await search(a.token, `q=${encodeURIComponent('ada@analytical.example')}`))).toContain(
      'Ada Lovelace',
    );
    const both = await search(a.token, 'q=analytical');
    expect(both.data.data.map((h: { type: string }) => h.type).sort()).toEqual(['company', 'lead']);
    const onlyCompanies = await search(a.token, 'q=analytical&types=company');
    expect(onlyCompanies.data.data).toEqual([expect.objectContaining({ type: 'company', id: companyId })]);
    expect(titles(await search(a.token, 'q=difference engine'))).toEqual(['Difference engine No. 2']);
  });

  it('shows a sales rep only their own leads, contacts and deals, but every company', async () => {
    const rep = await api.member(a.token, 'sales_rep');
    await api.call('POST', '/api/v1/leads', { token: rep.token, body: { firstName: 'Ada', lastName: 'Repsdottir' } });
    expect(titles(await search(rep.token, 'q=ada'))).toEqual(['Ada Repsdottir']);
    expect(titles(await search(rep.token, 'q=babbage'))).toEqual([]);
    expect(titles(await search(rep.token, 'q=analytical'))).toEqual(['Analytical Engines Ltd']);
    const viewer = await api.member(a.token, 'viewer');
    expect(titles(await search(viewer.token, 'q=ada')).sort()).toEqual(['Ada Lovelace', 'Ada Repsdottir']);
  });

  it('shows a new record at once, even though answers are cached at the edge', async () => {
    const first = await search(a.token, 'q=hedy');
    expect(titles(first)).toEqual([]);
    expect((await search(a.token, 'q=hedy')).headers.get('x-cache')).toBe('hit');
    await api.call('POST', '/api/v1/leads', { token: a.token, body: { firstName: 'Hedy', lastName: 'Lamarr' } });
    expect(titles(await search(a.token, 'q=hedy'))).toEqual(['Hedy Lamarr']);
  });

  it('treats hostile text as words, never as SQL or tsquery syntax', async () => {
    for (const q of ["' OR 1=1 --", "a' | b:* & !c", '\\', '(((', "'); DROP TABLE leads; --", '%_%', '& | !']) {
      const reply = await search(a.token, `q=${encodeURIComponent(q)}`);
      expect(reply.status, q).toBe(200);
      expect(reply.data.data.every((hit: { type: string }) => hit.type !== undefined)).toBe(true);
    }
    expect(titles(await search(a.token, 'q=lovelace'))).toEqual(['Ada Lovelace']);
  });

  it('refuses what is not a search', async () => {
    expectError(await search(a.token, 'q='), 400, 'validation_failed');
    expectError(await search(a.token, `q=${'x'.repeat(201)}`), 400, 'validation_failed');
    expectError(await search(a.token, `q=${encodeURIComponent('a\u0000b')}`), 400, 'validation_failed');
    expectError(await search(a.token, 'q=ada&types=lead,secrets'), 400, 'validation_failed');
    expectError(await search(a.token, 'q=ada&limit=51'), 400, 'validation_failed');
    expectError(await api.call('GET', '/api/v1/search?q=ada'), 401);
  });
});
