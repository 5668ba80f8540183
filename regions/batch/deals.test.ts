import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { createPipeline, defaultPipeline, insertCompany, insertContact, stageNamed } from '../pipelines/fixtures.ts';
import { type Api, batchCall, defineField, type Result, statuses, stored, tally } from './testing.ts';

let stack: TestStack;
let api: Api;
let batch: ReturnType<typeof batchCall>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  batch = batchCall(api, 'deals');
});
afterAll(() => stack?.stop());

const unknownId = '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e';

describe('POST /api/v1/deals/batch', () => {
  it('creates 1,000 deals placed and linked as the single create does, bad records failing alone', async () => {
    const [org, other] = await Promise.all([api.signup('dbatch-create'), api.signup('dbatch-other')]);
    await defineField(api, org.token, { entity: 'deal', key: 'seats', label: 'Seats', type: 'number', required: true });
    const sales = await defaultPipeline(api, org.token);
    const custom = await createPipeline(api, org.token);
    const [contact, company, foreignContact] = await Promise.all([
      insertContact(stack, org),
      insertCompany(stack, org),
      insertContact(stack, other),
    ]);
    const records: Record<string, unknown>[] = Array.from({ length: 1000 }, (_, i) => ({
      externalId: `sf-${i}`,
      name: `Deal ${i}`,
      amount: '100',
      customFields: { seats: i },
    }));
    Object.assign(records[0]!, { pipelineId: custom.id, stageId: stageNamed(custom, 'Won').id, contactId: contact });
    Object.assign(records[1]!, { companyId: company, stageId: stageNamed(sales, 'Proposal').id });
    const bad: Record<number, [string, Record<string, unknown>]> = {
      2: ['stage_not_in_pipeline', { stageId: stageNamed(custom, 'Proposal').id }],
      3: ['unknown_pipeline', { pipelineId: unknownId }],
      4: ['unknown_contact', { contactId: foreignContact }],
      5: ['unknown_company', { companyId: unknownId }],
      6: ['validation_failed', { customFields: {} }],
      7: ['validation_failed', { amount: '-1' }],
      600: ['unknown_owner', { ownerId: unknownId }],
      999: ['duplicate_in_batch', { externalId: 'sf-998' }],
    };
    for (const [index, [, fields]] of Object.entries(bad)) Object.assign(records[Number(index)]!, fields);
    const reply = await batch(org.token, { mode: 'create', records });
    expect(reply.status, JSON.stringify(reply.data).slice(0, 500)).toBe(200);
    expect(reply.data).toMatchObject({ created: 992, updated: 0, failed: 8 });
    const results: Result[] = reply.data.results;
    const failures = results.filter((r) => r.status === 'failed');
    expect(failures.map((r) => [r.index, r.error!.code])).toEqual(
      Object.entries(bad).map(([index, [code]]) => [Number(index), code]),
    );
    expect(results[6]!.error!.details).toEqual([{ path: 'customFields.seats', message: 'Required' }]);
    const state = await stored(stack, org, 'deals');
    expect(state.rows).toHaveLength(992);
    expect(state.stageChanges).toHaveLength(992);
    const won = state.rows.find((d) => d.id === results[0]!.id)!;
    expect(won).toMatchObject({
      pipelineId: custom.id,
      stageId: stageNamed(custom, 'Won').id,
      status: 'won',
      contactId: contact,
      amount: '100.00',
      currency: 'USD',
      externalId: 'sf-0',
      customFields: { seats: 0 },
    });
    expect(won.closedAt).toBeInstanceOf(Date);
    expect(state.rows.find((d) => d.id === results[1]!.id)).toMatchObject({
      pipelineId: sales.id,
      stageId: stageNamed(sales, 'Proposal').id,
      companyId: company,
      status: 'open',
    });
    expect(state.rows.find((d) => d.id === results[8]!.id)).toMatchObject({
      pipelineId: sales.id,
      stageId: stageNamed(sales, 'Qualification').id,
    });
    expect(tally(state.audit)).toEqual({ 'deal.created': 992, 'deal.stage_changed': 992, 'deal.won': 1 });
    expect(tally(state.events)).toEqual({ 'deal.created': 992, 'deal.stage_changed': 992, 'deal.won': 1 });
    // A deal's events follow one another as the single create writes them.
    expect(state.events.filter((e) => e.id === won.id).map((e) => e.type)).toEqual([
      'deal.created',
      'deal.stage_changed',
      'deal.won',
    ]);
    expect((await stored(stack, other, 'deals')).rows).toHaveLength(0);
  });

  it('upserts on externalId as a PATCH would: moves are written to the stage history', async () => {
    const org = await api.signup('dbatch-upsert');
    const sales = await defaultPipeline(api, org.token);
    const made = await batch(org.token, {
      mode: 'create',
      records: [
        { externalId: 'sf-1', name: 'One', amount: '12500' },
        { externalId: 'sf-2', name: 'Two', tags: ['q4'] },
      ],
    });
    const [one, two] = made.data.results.map((r: Result) => r.id);
    const reply = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'sf-1', name: 'One', amount: '12500.00', stageId: stageNamed(sales, 'Closed won').id },
        { externalId: 'sf-2', name: 'Two' },
        { externalId: 'sf-3', name: 'Three' },
        { name: 'No key' },
        { externalId: 'sf-2', name: 'Two again' },
      ],
    });
    expect(reply.data.results.slice(0, 3)).toEqual([
      { index: 0, status: 'updated', id: one },
      { index: 1, status: 'unchanged', id: two },
      { index: 2, status: 'created', id: expect.any(String) },
    ]);
    expect(statuses(reply.data.results.slice(3))).toEqual(['failed', 'failed']);
    const state = await stored(stack, org, 'deals');
    expect(state.rows.find((d) => d.id === one)).toMatchObject({ status: 'won', amount: '12500.00', version: 2 });
    expect(state.rows.find((d) => d.id === two)).toMatchObject({ tags: ['q4'], version: 1 });
    expect(state.stageChanges.filter((c) => c.dealId === one)).toHaveLength(2);
    expect(state.events.filter((e) => e.id === one).map((e) => e.type)).toEqual([
      'deal.created',
      'deal.stage_changed',
      'deal.updated',
      'deal.stage_changed',
      'deal.won',
    ]);
    const update = state.events.find((e) => e.type === 'deal.updated')!;
    expect(update.payload).toMatchObject({ deal: { id: one, status: 'won' }, changes: { status: ['open', 'won'] } });
    expectError(
      await batch(org.token, { mode: 'upsert', matchOn: 'email', records: [{ name: 'A' }] }),
      400,
      'validation_failed',
    );
  });

  it('never matches, changes or reveals another organization’s deal by externalId', async () => {
    const [a, b] = await Promise.all([api.signup('dbatch-iso-a'), api.signup('dbatch-iso-b')]);
    const madeA = await batch(a.token, { mode: 'create', records: [{ externalId: 'shared-1', name: 'Of A' }] });
    const upsert = await batch(b.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [{ externalId: 'shared-1', name: 'Of B' }],
    });
    expect(upsert.data.results[0]).toMatchObject({ status: 'created' });
    expect(upsert.data.results[0].id).not.toBe(madeA.data.results[0].id);
    expect((await stored(stack, a, 'deals')).rows).toEqual([expect.objectContaining({ name: 'Of A', version: 1 })]);
    expect((await stored(stack, b, 'deals')).rows).toEqual([expect.objectContaining({ name: 'Of B' })]);
  });

  it('applies the single writes’ roles: viewers refused, reps own what they create and cannot touch others’', async () => {
    const admin = await api.signup('dbatch-roles');
    const [viewer, rep, colleague] = await Promise.all([
      api.member(admin.token, 'viewer'),
      api.member(admin.token, 'sales_rep'),
      api.member(admin.token, 'sales_rep', 'colleague'),
    ]);
    expectError(await batch(viewer.token, { mode: 'create', records: [{ name: 'V' }] }), 403, 'forbidden');
    await batch(colleague.token, { mode: 'create', records: [{ externalId: 'col-1', name: 'Theirs' }] });
    const theirContact = await insertContact(stack, admin, colleague.user.id);
    const reply = await batch(rep.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'col-1', name: 'Stolen' },
        { externalId: 'rep-1', name: 'Mine' },
        { externalId: 'rep-2', name: 'Linked to theirs', contactId: theirContact },
        { externalId: 'rep-3', name: 'Given away', ownerId: colleague.user.id },
      ],
    });
    expect(reply.data.results[0]).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    expect(reply.data.results[0].id).toBeUndefined();
    expect(reply.data.results[1].status).toBe('created');
    expect(reply.data.results[2]).toMatchObject({ status: 'failed', error: { code: 'unknown_contact' } });
    expect(reply.data.results[3]).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    const rows = (await stored(stack, admin, 'deals')).rows;
    expect(rows).toHaveLength(2);
    expect(rows.find((d) => d.externalId === 'col-1')).toMatchObject({ name: 'Theirs', ownerId: colleague.user.id });
    expect(rows.find((d) => d.externalId === 'rep-1')).toMatchObject({ ownerId: rep.user.id });
  });

  it('replays an Idempotency-Key retry and refuses 1,001 records as a whole', async () => {
    const org = await api.signup('dbatch-idem');
    const key = api.unique('key');
    const body = { mode: 'create', records: [{ name: 'Once' }] };
    const first = await batch(org.token, body, key);
    const again = await batch(org.token, body, key);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ name: `N${i}` }));
    expectError(await batch(org.token, { mode: 'create', records: tooMany }), 400, 'validation_failed');
    const state = await stored(stack, org, 'deals');
    expect(state.rows).toHaveLength(1);
    expect(state.stageChanges).toHaveLength(1);
  });
});
