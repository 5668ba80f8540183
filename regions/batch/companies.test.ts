import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Api, batchCall, defineField, type Result, statuses, stored, tally } from './testing.ts';

let stack: TestStack;
let api: Api;
let batch: ReturnType<typeof batchCall>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  batch = batchCall(api, 'companies');
});
afterAll(() => stack?.stop());

describe('POST /api/v1/companies/batch', () => {
  it('creates companies as the single create does, with domains normalised and unique, bad records failing alone', async () => {
    const org = await api.signup('cobatch-create');
    await defineField(api, org.token, {
      entity: 'company',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['gold'],
    });
    const single = await api.call('POST', '/api/v1/companies', {
      token: org.token,
      body: { name: 'Existing', domain: 'existing.example' },
    });
    const reply = await batch(org.token, {
      mode: 'create',
      records: [
        {
          externalId: 'erp-1',
          name: 'Analytical Engines',
          domain: 'https://www.Analytical.example/about',
          address: { city: 'London', country: 'gb' },
          customFields: { tier: 'gold' },
        },
        { name: 'Taken', domain: 'EXISTING.example' },
        { name: 'Twin', domain: 'analytical.example' },
        { name: 'Not a host', domain: 'not a domain' },
        { name: 'Bad tier', customFields: { tier: 'silver' } },
        { domain: 'nameless.example' },
        { name: 'Plain' },
      ],
    });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    const results: Result[] = reply.data.results;
    expect(statuses(results)).toEqual(['created', 'failed', 'failed', 'failed', 'failed', 'failed', 'created']);
    expect(results[1]!.error).toEqual({
      code: 'domain_taken',
      message: `Company ${single.data.id} already has the domain existing.example`,
      details: [{ path: 'domain', message: `Already the domain of company ${single.data.id}` }],
    });
    expect(results[2]!.error).toMatchObject({ code: 'duplicate_in_batch', message: 'Same domain as record 0' });
    expect(results[3]!.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'domain' }] });
    expect(results[4]!.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'customFields.tier', message: 'Expected one of: gold' }],
    });
    expect(results[5]!.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'name' }] });
    const state = await stored(stack, org, 'companies');
    expect(state.rows).toHaveLength(3);
    expect(state.rows.find((c) => c.id === results[0]!.id)).toMatchObject({
      name: 'Analytical Engines',
      domain: 'analytical.example',
      externalId: 'erp-1',
      address: { city: 'London', country: 'GB' },
      customFields: { tier: 'gold' },
      ownerId: null,
    });
    expect(tally(state.audit)).toEqual({ 'company.created': 3 });
    expect(tally(state.events)).toEqual({ 'company.created': 3 });
    expect(state.events.find((e) => e.id === results[0]!.id)!.payload).toMatchObject({ domain: 'analytical.example' });
  });

  it('upserts on the normalised domain and on externalId as a PATCH would', async () => {
    const org = await api.signup('cobatch-upsert');
    const made = await batch(org.token, {
      mode: 'create',
      records: [
        { externalId: 'erp-1', name: 'Engines', domain: 'engines.example', industry: 'Computing' },
        { externalId: 'erp-2', name: 'Works', domain: 'works.example' },
      ],
    });
    const [engines, works] = made.data.results.map((r: Result) => r.id);
    const byDomain = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'domain',
      records: [
        { name: 'Engines Ltd', domain: 'HTTPS://www.engines.example/contact' },
        { name: 'Works', domain: 'works.example' },
        { name: 'Fresh', domain: 'fresh.example', externalId: 'erp-3' },
        { name: 'No domain' },
        { name: 'Steals id', domain: 'thief.example', externalId: 'erp-1' },
      ],
    });
    expect(byDomain.data.results).toEqual([
      { index: 0, status: 'updated', id: engines },
      { index: 1, status: 'unchanged', id: works },
      { index: 2, status: 'created', id: expect.any(String) },
      expect.objectContaining({
        index: 3,
        status: 'failed',
        error: expect.objectContaining({ code: 'validation_failed' }),
      }),
      expect.objectContaining({
        index: 4,
        status: 'failed',
        error: expect.objectContaining({ code: 'external_id_taken' }),
      }),
    ]);
    const byExternal = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'erp-2', name: 'Works', domain: 'engines.example' },
        { externalId: 'erp-1', name: 'Engines Ltd', domain: 'engines.io', size: '11-50' },
        { externalId: 'erp-4', name: 'Also engines', domain: 'https://engines.io' },
      ],
    });
    expect(byExternal.data.results[0]).toMatchObject({ status: 'failed', id: works, error: { code: 'domain_taken' } });
    expect(byExternal.data.results[1]).toEqual({ index: 1, status: 'updated', id: engines });
    expect(byExternal.data.results[2]).toMatchObject({ status: 'failed', error: { code: 'duplicate_in_batch' } });
    const state = await stored(stack, org, 'companies');
    expect(state.rows.find((c) => c.id === engines)).toMatchObject({
      name: 'Engines Ltd',
      domain: 'engines.io',
      industry: 'Computing',
      size: '11-50',
      version: 3,
    });
    expect(state.rows.find((c) => c.id === works)).toMatchObject({ domain: 'works.example', version: 1 });
    expect(tally(state.audit)).toEqual({ 'company.created': 3, 'company.updated': 2 });
    expect(state.events.filter((e) => e.type === 'company.updated').map((e) => e.payload.changes)).toEqual([
      { name: ['Engines', 'Engines Ltd'] },
      { domain: ['engines.example', 'engines.io'], size: [null, '11-50'] },
    ]);
  });

  it('never matches, changes or reveals another organization’s company by domain or externalId', async () => {
    const [a, b] = await Promise.all([api.signup('cobatch-iso-a'), api.signup('cobatch-iso-b')]);
    const madeA = await batch(a.token, {
      mode: 'create',
      records: [{ externalId: 'shared-1', name: 'Of A', domain: 'shared.example' }],
    });
    for (const matchOn of ['externalId', 'domain']) {
      const upsert = await batch(b.token, {
        mode: 'upsert',
        matchOn,
        records: [{ externalId: 'shared-1', name: 'Of B', domain: 'shared.example' }],
      });
      expect(upsert.data.results[0].status).toMatch(/created|unchanged/);
      expect(upsert.data.results[0].id).not.toBe(madeA.data.results[0].id);
    }
    // B's own company holds the domain in B now: a create is refused for it, naming B's company, never A's.
    const created = await batch(b.token, { mode: 'create', records: [{ name: 'B2', domain: 'www.shared.example' }] });
    const ofB = (await stored(stack, b, 'companies')).rows[0]!;
    expect(created.data.results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'domain_taken', message: `Company ${ofB.id} already has the domain shared.example` },
    });
    expect((await stored(stack, a, 'companies')).rows).toEqual([expect.objectContaining({ name: 'Of A', version: 1 })]);
    expect((await stored(stack, b, 'companies')).rows).toEqual([
      expect.objectContaining({ name: 'Of B', externalId: 'shared-1', domain: 'shared.example' }),
    ]);
  });

  it('applies the single writes’ roles: viewers refused, reps see every company but change only their own', async () => {
    const admin = await api.signup('cobatch-roles');
    const [viewer, rep, colleague] = await Promise.all([
      api.member(admin.token, 'viewer'),
      api.member(admin.token, 'sales_rep'),
      api.member(admin.token, 'sales_rep', 'colleague'),
    ]);
    expectError(await batch(viewer.token, { mode: 'create', records: [{ name: 'V' }] }), 403, 'forbidden');
    const theirs = await batch(colleague.token, {
      mode: 'create',
      records: [{ name: 'Theirs', domain: 'theirs.example' }],
    });
    const reply = await batch(rep.token, {
      mode: 'upsert',
      matchOn: 'domain',
      records: [
        { name: 'Renamed', domain: 'theirs.example' },
        { name: 'Theirs', domain: 'theirs.example' },
        { name: 'Mine', domain: 'mine.example' },
        { name: 'Given', domain: 'given.example', ownerId: colleague.user.id },
      ],
    });
    // Companies are shared: the rep sees the colleague's, so the refusal is an honest 403 naming it.
    expect(reply.data.results[0]).toMatchObject({
      status: 'failed',
      id: theirs.data.results[0].id,
      error: { code: 'forbidden' },
    });
    expect(reply.data.results[1]).toMatchObject({ status: 'failed', error: { code: 'duplicate_in_batch' } });
    expect(reply.data.results[2].status).toBe('created');
    expect(reply.data.results[3]).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    const rows = (await stored(stack, admin, 'companies')).rows;
    expect(rows).toHaveLength(2);
    expect(rows.find((c) => c.domain === 'theirs.example')).toMatchObject({ name: 'Theirs', version: 1 });
    expect(rows.find((c) => c.domain === 'mine.example')).toMatchObject({ ownerId: rep.user.id });
  });

  it('replays an Idempotency-Key retry and refuses a request as a whole when it breaks the contract', async () => {
    const org = await api.signup('cobatch-idem');
    const key = api.unique('key');
    const body = { mode: 'create', records: [{ name: 'Once', domain: 'once.example' }] };
    const first = await batch(org.token, body, key);
    const again = await batch(org.token, body, key);
    expect(again.data).toEqual(first.data);
    expect(again.data.results[0].status).toBe('created');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await batch(org.token, { mode: 'upsert', matchOn: 'email', records: [{ name: 'A' }] }),
      400,
      'validation_failed',
    );
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ name: `N${i}` }));
    expectError(await batch(org.token, { mode: 'create', records: tooMany }), 400, 'validation_failed');
    const state = await stored(stack, org, 'companies');
    expect(state.rows).toHaveLength(1);
    expect(state.audit).toHaveLength(1);
  });
});
