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
  batch = batchCall(api, 'contacts');
});
afterAll(() => stack?.stop());

const unknownId = '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e';

describe('POST /api/v1/contacts/batch', () => {
  it('creates contacts as the single create does, failing bad records alone with nothing of them written', async () => {
    const org = await api.signup('cbatch-create');
    await defineField(api, org.token, {
      entity: 'contact',
      key: 'language',
      label: 'Language',
      type: 'select',
      options: ['en', 'fr'],
    });
    const company = await api.call('POST', '/api/v1/companies', { token: org.token, body: { name: 'Engines' } });
    const reply = await batch(org.token, {
      mode: 'create',
      records: [
        {
          externalId: 'c-1',
          firstName: 'Ada',
          email: 'Ada@Analytical.example',
          companyId: company.data.id,
          marketingEmailConsent: true,
          consentSource: 'import',
          customFields: { language: 'en' },
          tags: ['VIP', 'vip'],
        },
        { firstName: 'Bad email', email: 'nope' },
        { firstName: 'Foreign company', companyId: unknownId },
        { firstName: 'Bad field', customFields: { language: 'de' } },
        { firstName: 'Unknown field', customFields: { shoe_size: 44 } },
        { firstName: 'Nobody', ownerId: unknownId },
        { firstName: 'Consent without source', marketingEmailConsent: true },
        { lastName: 'Plain' },
      ],
    });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    const results: Result[] = reply.data.results;
    expect(statuses(results)).toEqual(['created', ...Array(6).fill('failed'), 'created']);
    expect(reply.data).toMatchObject({ created: 2, updated: 0, failed: 6 });
    expect(results[1]!.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'email' }] });
    expect(results[2]!.error).toMatchObject({ code: 'unknown_company', details: [{ path: 'companyId' }] });
    expect(results[3]!.error).toEqual({
      code: 'validation_failed',
      message: 'The custom fields are invalid',
      details: [{ path: 'customFields.language', message: 'Expected one of: en, fr' }],
    });
    expect(results[4]!.error!.details).toEqual([{ path: 'customFields.shoe_size', message: 'Unknown custom field' }]);
    expect(results[5]!.error).toMatchObject({ code: 'unknown_owner' });
    expect(results[6]!.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'consentSource' }] });
    const state = await stored(stack, org, 'contacts');
    expect(state.rows).toHaveLength(2);
    const ada = state.rows.find((c) => c.id === results[0]!.id)!;
    expect(ada).toMatchObject({
      email: 'ada@analytical.example',
      externalId: 'c-1',
      lifecycleStage: 'lead',
      companyId: company.data.id,
      marketingEmailConsent: true,
      consentSource: 'import',
      customFields: { language: 'en' },
      tags: ['vip'],
      version: 1,
    });
    expect(ada.consentGivenAt).toBeInstanceOf(Date);
    expect(tally(state.audit)).toEqual({ 'contact.created': 2, 'contact.consent_given': 1 });
    expect(state.audit.find((a) => a.action === 'contact.consent_given')).toMatchObject({
      id: ada.id,
      changes: { marketingEmailConsent: [false, true], consentSource: 'import' },
    });
    expect(state.events.map((e) => [e.type, e.id])).toEqual(
      results.flatMap((r) => (r.id ? [['contact.created', r.id]] : [])),
    );
    expect(state.events[0]!.payload).toMatchObject({
      id: ada.id,
      email: 'ada@analytical.example',
      customFields: { language: 'en' },
    });
    // What the batch wrote reads back like a single create's contact.
    const read = await api.call('GET', `/api/v1/contacts/${ada.id}`, { token: org.token });
    expect(read.data).toMatchObject({ firstName: 'Ada', lifecycleStage: 'lead', customFields: { language: 'en' } });
  });

  it('upserts on email (case-insensitive) and on externalId as a PATCH would, merging custom fields', async () => {
    const org = await api.signup('cbatch-upsert');
    await defineField(api, org.token, { entity: 'contact', key: 'seats', label: 'Seats', type: 'number' });
    await defineField(api, org.token, { entity: 'contact', key: 'note', label: 'Note', type: 'text' });
    const made = await batch(org.token, {
      mode: 'create',
      records: [
        { externalId: 'x-1', firstName: 'Ada', email: 'ada@analytical.example', customFields: { seats: 3, note: 'a' } },
        { externalId: 'x-2', firstName: 'Grace', email: 'grace@navy.example', title: 'Admiral' },
        { firstName: 'Twin one', email: 'twin@example.com' },
        { firstName: 'Twin two', email: 'twin@example.com' },
      ],
    });
    expect(made.data).toMatchObject({ created: 4, failed: 0 });
    const [ada, grace] = made.data.results.map((r: Result) => r.id);
    const byEmail = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'email',
      records: [
        { email: 'ADA@analytical.example', lifecycleStage: 'customer', customFields: { seats: 5 } },
        { email: 'grace@navy.example', firstName: 'Grace' },
        { email: 'new@example.com', firstName: 'New', externalId: 'x-3' },
        { email: 'twin@example.com', firstName: 'Which' },
        { email: 'grace@navy.example', firstName: 'Again' },
        { email: 'other@example.com', firstName: 'Taken id', externalId: 'x-1' },
        { email: 'grace@navy.example', marketingEmailConsent: true, consentSource: 'web_form' },
        { firstName: 'No email' },
        { email: 'ada@analytical.example', customFields: { seats: 'many' } },
      ],
    });
    expect(byEmail.status).toBe(200);
    const results: Result[] = byEmail.data.results;
    expect(results.slice(0, 3)).toEqual([
      { index: 0, status: 'updated', id: ada },
      { index: 1, status: 'unchanged', id: grace },
      { index: 2, status: 'created', id: expect.any(String) },
    ]);
    expect(results[3]).toMatchObject({ status: 'failed', error: { code: 'ambiguous_match' } });
    expect(results[4]).toMatchObject({ status: 'failed', error: { code: 'duplicate_in_batch' } });
    expect(results[5]).toMatchObject({ status: 'failed', error: { code: 'external_id_taken' } });
    expect(results[6]).toMatchObject({ status: 'failed', error: { code: 'duplicate_in_batch' } });
    expect(results[7]).toMatchObject({
      status: 'failed',
      error: { code: 'validation_failed', details: [{ path: 'email' }] },
    });
    expect(results[8]).toMatchObject({ status: 'failed', error: { code: 'duplicate_in_batch' } });
    let rows = (await stored(stack, org, 'contacts')).rows;
    expect(rows.find((c) => c.id === ada)).toMatchObject({
      firstName: 'Ada',
      lifecycleStage: 'customer',
      customFields: { seats: 5, note: 'a' },
      version: 2,
    });
    expect(rows.find((c) => c.id === grace)).toMatchObject({ title: 'Admiral', version: 1 });
    const byExternal = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'x-2', marketingEmailConsent: true, consentSource: 'web_form', email: 'grace@navy.example' },
        { externalId: 'x-1', email: 'ada@engines.example', customFields: { note: null } },
        { externalId: 'x-9', firstName: 'Fresh' },
        { externalId: 'x-1', firstName: 'Duplicate' },
        { externalId: 'x-2', firstName: 'Bad seats', customFields: { seats: 'ten' } },
      ],
    });
    expect(statuses(byExternal.data.results)).toEqual(['updated', 'updated', 'created', 'failed', 'failed']);
    expect(byExternal.data.results[4]).toMatchObject({ error: { code: 'duplicate_in_batch' } });
    const state = await stored(stack, org, 'contacts');
    rows = state.rows;
    expect(rows.find((c) => c.id === grace)).toMatchObject({ marketingEmailConsent: true, consentSource: 'web_form' });
    expect(rows.find((c) => c.id === ada)).toMatchObject({ email: 'ada@engines.example', customFields: { seats: 5 } });
    expect(tally(state.audit)).toMatchObject({
      'contact.created': 6,
      'contact.updated': 3,
      'contact.consent_given': 1,
    });
    expect(tally(state.events)).toEqual({ 'contact.created': 6, 'contact.updated': 3 });
    const update = state.events.find((e) => e.type === 'contact.updated' && e.id === ada)!;
    expect(update.payload).toMatchObject({ contact: { id: ada }, changes: { lifecycleStage: ['lead', 'customer'] } });
    // An invalid custom field on a matched record fails it alone and changes nothing of it.
    const bad = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'x-1', firstName: 'Renamed', customFields: { seats: 'ten' } },
        { externalId: 'x-2', firstName: 'Grace', title: 'Rear Admiral' },
      ],
    });
    expect(bad.data.results[0]).toMatchObject({
      status: 'failed',
      id: ada,
      error: { code: 'validation_failed', details: [{ path: 'customFields.seats' }] },
    });
    expect(bad.data.results[1]).toMatchObject({ status: 'updated', id: grace });
    expect((await stored(stack, org, 'contacts')).rows.find((c) => c.id === ada)).toMatchObject({ firstName: 'Ada' });
  });

  it('never matches, changes or reveals another organization’s contact by email or externalId', async () => {
    const [a, b] = await Promise.all([api.signup('cbatch-iso-a'), api.signup('cbatch-iso-b')]);
    const madeA = await batch(a.token, {
      mode: 'create',
      records: [{ externalId: 'shared-1', firstName: 'Of A', email: 'shared@iso.example' }],
    });
    for (const matchOn of ['externalId', 'email']) {
      const upsert = await batch(b.token, {
        mode: 'upsert',
        matchOn,
        records: [{ externalId: 'shared-1', firstName: 'Of B', email: 'shared@iso.example' }],
      });
      expect(upsert.data.results[0].status).toMatch(/created|unchanged/);
      expect(upsert.data.results[0].id).not.toBe(madeA.data.results[0].id);
    }
    const inA = await stored(stack, a, 'contacts');
    expect(inA.rows).toEqual([expect.objectContaining({ firstName: 'Of A', version: 1 })]);
    expect(inA.audit).toHaveLength(1);
    expect((await stored(stack, b, 'contacts')).rows).toEqual([
      expect.objectContaining({ firstName: 'Of B', externalId: 'shared-1' }),
    ]);
  });

  it('applies the single writes’ roles: viewers refused, reps own what they create and cannot touch others’', async () => {
    const admin = await api.signup('cbatch-roles');
    const [viewer, rep, colleague] = await Promise.all([
      api.member(admin.token, 'viewer'),
      api.member(admin.token, 'sales_rep'),
      api.member(admin.token, 'sales_rep', 'colleague'),
    ]);
    expectError(await batch(viewer.token, { mode: 'create', records: [{ firstName: 'V' }] }), 403, 'forbidden');
    const theirs = await batch(colleague.token, {
      mode: 'create',
      records: [{ externalId: 'col-1', firstName: 'C', email: 'c@example.com' }],
    });
    expect(theirs.data.created).toBe(1);
    const reply = await batch(rep.token, {
      mode: 'upsert',
      matchOn: 'email',
      records: [
        { email: 'c@example.com', firstName: 'Stolen' },
        { email: 'mine@example.com', firstName: 'Mine' },
        { email: 'given@example.com', firstName: 'Given away', ownerId: colleague.user.id },
        { email: 'unowned@example.com', firstName: 'Unowned', ownerId: null },
      ],
    });
    expect(reply.data.results[0]).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    expect(reply.data.results[0].id).toBeUndefined();
    expect(reply.data.results[1].status).toBe('created');
    expect(reply.data.results[2]).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(reply.data.results[3]).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    const all = (await stored(stack, admin, 'contacts')).rows;
    expect(all).toHaveLength(2);
    expect(all.find((c) => c.externalId === 'col-1')).toMatchObject({ firstName: 'C', ownerId: colleague.user.id });
    expect(all.find((c) => c.email === 'mine@example.com')).toMatchObject({ ownerId: rep.user.id });
  });

  it('replays an Idempotency-Key retry and refuses a request as a whole when it breaks the contract', async () => {
    const org = await api.signup('cbatch-idem');
    const key = api.unique('key');
    const body = { mode: 'create', records: [{ firstName: 'Once', externalId: 'once' }] };
    const first = await batch(org.token, body, key);
    const again = await batch(org.token, body, key);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await batch(org.token, { ...body, mode: 'upsert', matchOn: 'email' }, key),
      422,
      'idempotency_key_reused',
    );
    expectError(
      await batch(org.token, { mode: 'upsert', matchOn: 'domain', records: [{ firstName: 'A' }] }),
      400,
      'validation_failed',
    );
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ firstName: `N${i}` }));
    expectError(await batch(org.token, { mode: 'create', records: tooMany }), 400, 'validation_failed');
    const state = await stored(stack, org, 'contacts');
    expect(state.rows).toHaveLength(1);
    expect(state.events).toHaveLength(1);
  });
});
