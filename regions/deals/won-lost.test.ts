import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  type Api,
  auditOf,
  createPipeline,
  defaultPipeline,
  eventsOf,
  type Pipeline,
  type Session,
  stageNamed,
} from '../pipelines/fixtures.ts';

let stack: TestStack;
let api: Api;
let org: Session;
let sales: Pipeline;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  org = await api.signup('won-lost');
  sales = await defaultPipeline(api, org.token);
});
afterAll(() => stack?.stop());

async function newDeal(body: Record<string, unknown> = {}) {
  const made = await api.call('POST', '/api/v1/deals', { token: org.token, body: { name: 'Closing', ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as Record<string, any> & { id: string };
}

const post = (dealId: string, outcome: 'won' | 'lost', body?: unknown, headers: Record<string, string> = {}) =>
  api.call('POST', `/api/v1/deals/${dealId}/${outcome}`, { token: org.token, body, headers });

const types = async (dealId: string) => (await eventsOf(stack, org, dealId)).map((e) => e.type);

describe('won and lost', () => {
  it('marks a deal won, with or without a reason, in the won stage, closing it', async () => {
    const deal = await newDeal();
    const won = await post(deal.id, 'won', { reason: '  Best total cost  ' }, { 'if-match': '"v1"' });
    expect(won.status, JSON.stringify(won.data)).toBe(200);
    expect(won.headers.get('etag')).toBe('"v2"');
    expect(won.data).toMatchObject({
      stageId: stageNamed(sales, 'Closed won').id,
      status: 'won',
      closeReason: 'Best total cost',
      version: 2,
    });
    expect(won.data.closedAt).toBe(won.data.stageEnteredAt);
    expect(await types(deal.id)).toEqual(['deal.created', 'deal.stage_changed', 'deal.stage_changed', 'deal.won']);
    const event = (await eventsOf(stack, org, deal.id)).at(-1)!;
    expect(event.payload).toMatchObject({ reason: 'Best total cost', deal: { id: deal.id, status: 'won' } });
    expect((await auditOf(stack, org, deal.id)).map((a) => a.action)).toContain('deal.won');

    const bare = await newDeal();
    const noBody = await post(bare.id, 'won');
    expect(noBody.status, JSON.stringify(noBody.data)).toBe(200);
    expect(noBody.data).toMatchObject({ status: 'won', closeReason: null });
    const emptyBody = await post((await newDeal()).id, 'won', {});
    expect(emptyBody.data).toMatchObject({ status: 'won', closeReason: null });
  });

  it('marks a deal lost only with a reason', async () => {
    const deal = await newDeal();
    for (const body of [undefined, {}, { reason: '' }, { reason: '   ' }, { reason: 42 }, { reason: 'x', why: 'y' }]) {
      expectError(await post(deal.id, 'lost', body), 400, 'validation_failed', JSON.stringify(body));
    }
    expectError(await post(deal.id, 'won', { reason: 'x'.repeat(1001) }), 400, 'validation_failed');
    const lost = await post(deal.id, 'lost', { reason: 'Chose a competitor' });
    expect(lost.status).toBe(200);
    expect(lost.data).toMatchObject({
      stageId: stageNamed(sales, 'Closed lost').id,
      status: 'lost',
      closeReason: 'Chose a competitor',
    });
    expect(await types(deal.id)).toEqual(['deal.created', 'deal.stage_changed', 'deal.stage_changed', 'deal.lost']);
  });

  it('refuses to close a deal twice the same way, but lets a lost deal be won and back', async () => {
    const deal = await newDeal();
    expect((await post(deal.id, 'lost', { reason: 'No budget' })).status).toBe(200);
    expectError(await post(deal.id, 'lost', { reason: 'Still no budget' }), 409, 'deal_already_lost');
    const won = await post(deal.id, 'won', { reason: 'Budget found' });
    expect(won.data).toMatchObject({ status: 'won', closeReason: 'Budget found', version: 3 });
    expectError(await post(deal.id, 'won'), 409, 'deal_already_won');
    const again = await post(deal.id, 'lost', { reason: 'Cancelled' });
    expect(again.data).toMatchObject({ status: 'lost', closeReason: 'Cancelled' });
    const rows = (await api.call('GET', `/api/v1/deals/${deal.id}/stage-changes`, { token: org.token })).data.data;
    expect(rows.map((r: { toStageName: string }) => r.toStageName)).toEqual([
      'Closed lost',
      'Closed won',
      'Closed lost',
      'Qualification',
    ]);
  });

  it('closes a deal moved into a won or lost stage by PATCH, and reopens it when moved to an open stage', async () => {
    const deal = await newDeal();
    const closed = await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
      token: org.token,
      body: { stageId: stageNamed(sales, 'Closed lost').id },
    });
    expect(closed.data).toMatchObject({ status: 'lost', closeReason: null });
    expect(closed.data.closedAt).toBe(closed.data.stageEnteredAt);
    expect(await types(deal.id)).toEqual([
      'deal.created',
      'deal.stage_changed',
      'deal.updated',
      'deal.stage_changed',
      'deal.lost',
    ]);

    const reopened = await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
      token: org.token,
      body: { stageId: stageNamed(sales, 'Negotiation').id },
    });
    expect(reopened.data).toMatchObject({ status: 'open', closedAt: null, closeReason: null });
    expect((await types(deal.id)).slice(-2)).toEqual(['deal.updated', 'deal.stage_changed']);
    const listed = await api.call('GET', `/api/v1/deals?status=open&stageId=${reopened.data.stageId}`, {
      token: org.token,
    });
    expect(listed.data.data.map((d: { id: string }) => d.id)).toContain(deal.id);

    // A reason given when won is cleared on reopening too.
    expect((await post(deal.id, 'won', { reason: 'Signed' })).data.closeReason).toBe('Signed');
    const back = await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
      token: org.token,
      body: { stageId: stageNamed(sales, 'Proposal').id },
    });
    expect(back.data).toMatchObject({ status: 'open', closedAt: null, closeReason: null });
  });

  it('creates a deal straight into a won stage as won', async () => {
    const deal = await newDeal({ stageId: stageNamed(sales, 'Closed won').id });
    expect(deal).toMatchObject({ status: 'won', closeReason: null });
    expect(deal.closedAt).toBe(deal.createdAt);
    expect(await types(deal.id)).toEqual(['deal.created', 'deal.stage_changed', 'deal.won']);
    expect((await api.call('GET', '/api/v1/deals?status=won', { token: org.token })).data.data[0].id).toBe(deal.id);
  });

  it("uses the deal's own pipeline's first won or lost stage, and answers 409 when it has none", async () => {
    const twoWins = await createPipeline(api, org.token, {
      stages: [{ name: 'Open' }, { name: 'Won big', kind: 'won' }, { name: 'Won small', kind: 'won' }],
    });
    const deal = await newDeal({ pipelineId: twoWins.id });
    const won = await post(deal.id, 'won');
    expect(won.data.stageId).toBe(stageNamed(twoWins, 'Won big').id);
    expectError(await post(deal.id, 'lost', { reason: 'No lost stage' }), 409, 'no_lost_stage');
    const after = await api.call('GET', `/api/v1/deals/${deal.id}`, { token: org.token });
    expect(after.data).toEqual(won.data);

    // Between two won stages the deal stays won since it first closed.
    const moved = await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
      token: org.token,
      body: { stageId: stageNamed(twoWins, 'Won small').id },
    });
    expect(moved.data).toMatchObject({ status: 'won', closedAt: won.data.closedAt });
    expect((await types(deal.id)).filter((t) => t === 'deal.won')).toHaveLength(1);

    const openOnly = await createPipeline(api, org.token, { stages: [{ name: 'Only' }] });
    const stuck = await newDeal({ pipelineId: openOnly.id });
    expectError(await post(stuck.id, 'won'), 409, 'no_won_stage');
  });
});
