import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealStageChanges, deals } from '../../db/schema/index.ts';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  type Api,
  createPipeline,
  defaultPipeline,
  eventsOf,
  onShard,
  type Pipeline,
  type Session,
  stageNamed,
} from '../pipelines/fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

type Change = {
  id: string;
  fromStageId: string | null;
  fromStageName: string | null;
  toStageId: string;
  toStageName: string | null;
  changedBy: string | null;
  changedAt: string;
  secondsInPreviousStage: number | null;
};

async function history(session: Session, dealId: string, token = session.token): Promise<Change[]> {
  const reply = await api.call('GET', `/api/v1/deals/${dealId}/stage-changes?limit=200`, { token });
  expect(reply.status, JSON.stringify(reply.data)).toBe(200);
  return reply.data.data;
}

/** Pretends the deal entered its current stage `seconds` ago, as if time had passed. */
async function age(session: Session, dealId: string, seconds: number) {
  await onShard(stack, session, (tx) =>
    tx
      .update(deals)
      .set({ stageEnteredAt: sql`${deals.stageEnteredAt} - make_interval(secs => ${seconds})` })
      .where(and(eq(deals.organizationId, session.organization.id), eq(deals.id, dealId))),
  );
}

const move = (session: Session, dealId: string, body: Record<string, unknown>) =>
  api.call('PATCH', `/api/v1/deals/${dealId}`, { token: session.token, body });

async function newDeal(session: Session, body: Record<string, unknown> = {}) {
  const made = await api.call('POST', '/api/v1/deals', { token: session.token, body: { name: 'Moving', ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as Record<string, any> & { id: string };
}

describe('deal stage history', () => {
  let org: Session;
  let sales: Pipeline;
  beforeAll(async () => {
    org = await api.signup('hist');
    sales = await defaultPipeline(api, org.token);
  });

  it('records every move with who, when, from, to and the seconds spent in the stage left', async () => {
    const deal = await newDeal(org);
    const [qualification, analysis, proposal] = [
      stageNamed(sales, 'Qualification'),
      stageNamed(sales, 'Needs analysis'),
      stageNamed(sales, 'Proposal'),
    ];
    const created = await history(org, deal.id);
    expect(created).toEqual([
      {
        id: expect.any(String),
        dealId: deal.id,
        fromStageId: null,
        fromStageName: null,
        toStageId: qualification.id,
        toStageName: 'Qualification',
        changedBy: org.user.id,
        changedAt: deal.createdAt,
        secondsInPreviousStage: null,
      },
    ]);

    await age(org, deal.id, 3 * 3600);
    const first = await move(org, deal.id, { stageId: analysis.id });
    expect(first.status, JSON.stringify(first.data)).toBe(200);
    expect(first.data).toMatchObject({ stageId: analysis.id, status: 'open', version: 2 });
    expect(Date.parse(first.data.stageEnteredAt)).toBeGreaterThan(Date.parse(deal.stageEnteredAt));

    await age(org, deal.id, 2 * 86400 + 5);
    const manager = await api.member(org.token, 'manager');
    const second = await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
      token: manager.token,
      body: { stageId: proposal.id },
    });
    expect(second.status).toBe(200);

    // Moving back is a move like any other.
    await age(org, deal.id, 60);
    expect((await move(org, deal.id, { stageId: qualification.id })).status).toBe(200);

    const rows = await history(org, deal.id);
    expect(rows.map((r) => [r.fromStageName, r.toStageName])).toEqual([
      ['Proposal', 'Qualification'],
      ['Needs analysis', 'Proposal'],
      ['Qualification', 'Needs analysis'],
      [null, 'Qualification'],
    ]);
    const seconds = rows.map((r) => r.secondsInPreviousStage);
    // Requests take a moment: allow a few seconds beyond the time the deal was aged by.
    expect(seconds[0]).toBeGreaterThanOrEqual(60);
    expect(seconds[0]).toBeLessThan(60 + 10);
    expect(seconds[1]).toBeGreaterThanOrEqual(2 * 86400 + 5);
    expect(seconds[1]).toBeLessThan(2 * 86400 + 15);
    expect(seconds[2]).toBeGreaterThanOrEqual(3 * 3600);
    expect(seconds[2]).toBeLessThan(3 * 3600 + 10);
    expect(seconds[3]).toBeNull();
    expect(rows.map((r) => r.changedBy)).toEqual([org.user.id, manager.user.id, org.user.id, org.user.id]);
    // Each row's changedAt is when the deal entered that stage.
    const now = await api.call('GET', `/api/v1/deals/${deal.id}`, { token: org.token });
    expect(rows[0]!.changedAt).toBe(now.data.stageEnteredAt);

    const moves = (await eventsOf(stack, org, deal.id)).filter((e) => e.type === 'deal.stage_changed');
    expect(moves.map((e) => [e.payload.fromStageId, e.payload.toStageId])).toEqual([
      [null, qualification.id],
      [qualification.id, analysis.id],
      [analysis.id, proposal.id],
      [proposal.id, qualification.id],
    ]);
    expect(moves[1]!.payload).toMatchObject({
      dealId: deal.id,
      fromPipelineId: sales.id,
      toPipelineId: sales.id,
      secondsInPreviousStage: seconds[2],
      changedBy: org.user.id,
    });
  });

  it('records nothing for a patch that names the current stage, or changes other fields only', async () => {
    const deal = await newDeal(org);
    const same = await move(org, deal.id, { stageId: deal.stageId, pipelineId: deal.pipelineId });
    expect(same.data.version).toBe(1);
    const renamed = await move(org, deal.id, { name: 'Renamed', stageId: deal.stageId });
    expect(renamed.data).toMatchObject({ version: 2, stageEnteredAt: deal.stageEnteredAt });
    expect(await history(org, deal.id)).toHaveLength(1);
    const events = (await eventsOf(stack, org, deal.id)).map((e) => e.type);
    expect(events).toEqual(['deal.created', 'deal.stage_changed', 'deal.updated']);
  });

  it("moves a deal to another pipeline: to its first open stage, or a named stage of it, never another's", async () => {
    const other = await createPipeline(api, org.token);
    const deal = await newDeal(org);
    const mismatched = await move(org, deal.id, { pipelineId: other.id, stageId: stageNamed(sales, 'Proposal').id });
    expectError(mismatched, 400, 'stage_not_in_pipeline');
    expectError(await move(org, deal.id, { stageId: stageNamed(other, 'Proposal').id }), 400, 'stage_not_in_pipeline');
    expect(await history(org, deal.id)).toHaveLength(1);

    const moved = await move(org, deal.id, { pipelineId: other.id });
    expect(moved.status).toBe(200);
    expect(moved.data).toMatchObject({ pipelineId: other.id, stageId: stageNamed(other, 'Discovery').id });
    const named = await move(org, deal.id, { pipelineId: sales.id, stageId: stageNamed(sales, 'Negotiation').id });
    expect(named.data).toMatchObject({ pipelineId: sales.id, stageId: stageNamed(sales, 'Negotiation').id });
    const rows = await history(org, deal.id);
    expect(rows.map((r) => [r.fromStageName, r.toStageName])).toEqual([
      ['Discovery', 'Negotiation'],
      ['Qualification', 'Discovery'],
      [null, 'Qualification'],
    ]);
    const event = (await eventsOf(stack, org, deal.id)).filter((e) => e.type === 'deal.stage_changed').at(-1)!;
    expect(event.payload).toMatchObject({ fromPipelineId: other.id, toPipelineId: sales.id });
    const filtered = await api.call('GET', `/api/v1/deals?pipelineId=${other.id}`, { token: org.token });
    expect(filtered.data.data.map((d: { id: string }) => d.id)).not.toContain(deal.id);
  });

  it('keeps history rows whose stage was deleted since, with the name null', async () => {
    const pipeline = await createPipeline(api, org.token);
    const deal = await newDeal(org, { pipelineId: pipeline.id });
    expect((await move(org, deal.id, { stageId: stageNamed(pipeline, 'Proposal').id })).status).toBe(200);
    const discovery = stageNamed(pipeline, 'Discovery');
    const gone = await api.call('DELETE', `/api/v1/pipelines/${pipeline.id}/stages/${discovery.id}`, {
      token: org.token,
    });
    expect(gone.status, JSON.stringify(gone.data)).toBe(200);
    const rows = await history(org, deal.id);
    expect(rows.map((r) => [r.fromStageId, r.fromStageName, r.toStageName])).toEqual([
      [discovery.id, null, 'Proposal'],
      [null, null, null],
    ]);
  });

  it('pages the history newest first with a cursor', async () => {
    const deal = await newDeal(org);
    const order = ['Needs analysis', 'Proposal', 'Negotiation', 'Proposal', 'Needs analysis', 'Qualification'];
    for (const name of order)
      expect((await move(org, deal.id, { stageId: stageNamed(sales, name).id })).status).toBe(200);
    const seen: Change[] = [];
    let cursor: string | null = null;
    do {
      const reply: Reply = await api.call(
        'GET',
        `/api/v1/deals/${deal.id}/stage-changes?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: org.token },
      );
      expect(reply.status).toBe(200);
      seen.push(...reply.data.data);
      cursor = reply.data.nextCursor;
    } while (cursor);
    expect(seen.map((r) => r.toStageName)).toEqual([...order].reverse().concat('Qualification'));
    expect(seen).toEqual(await history(org, deal.id));
    expectError(
      await api.call('GET', `/api/v1/deals/${deal.id}/stage-changes?cursor=forged`, { token: org.token }),
      400,
      'invalid_cursor',
    );
    expectError(
      await api.call('GET', `/api/v1/deals/${deal.id}/stage-changes?limit=500`, { token: org.token }),
      400,
      'validation_failed',
    );
  });

  it('writes the deal, its history row and its events together, or none of them, under concurrent moves', async () => {
    const deal = await newDeal(org);
    const targets = ['Needs analysis', 'Proposal', 'Negotiation', 'Qualification', 'Proposal'];
    const replies = await Promise.all(
      targets.map((name) => move(org, deal.id, { stageId: stageNamed(sales, name).id })),
    );
    for (const reply of replies) expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    const final = await api.call('GET', `/api/v1/deals/${deal.id}`, { token: org.token });
    const rows = await history(org, deal.id);
    // Each row starts where the one before it ended: no move was lost or recorded from a stale stage.
    const chain = [...rows].reverse();
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.fromStageId).toBe(chain[i - 1]!.toStageId);
    expect(chain.at(-1)!.toStageId).toBe(final.data.stageId);
    expect(final.data.version).toBe(1 + rows.length - 1);
    const stored = await onShard(stack, org, (tx) =>
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(dealStageChanges)
        .where(and(eq(dealStageChanges.organizationId, org.organization.id), eq(dealStageChanges.dealId, deal.id))),
    );
    expect(stored[0]!.n).toBe(rows.length);
    const events = (await eventsOf(stack, org, deal.id)).filter((e) => e.type === 'deal.stage_changed');
    expect(events).toHaveLength(rows.length);
  });
});
