import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Api, createPipeline, eventsOf, type Session, stageNamed } from '../pipelines/fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const bulk = (token: string, body: unknown) => api.call('POST', '/api/v1/deals/bulk', { token, body });

async function createDeal(session: { token: string }, body: Record<string, unknown> = {}) {
  const made = await api.call('POST', '/api/v1/deals', { token: session.token, body: { name: 'Deal', ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; stageId: string; pipelineId: string };
}

const history = async (session: Session, id: string) =>
  (await api.call('GET', `/api/v1/deals/${id}/stage-changes`, { token: session.token })).data.data;

describe('POST /api/v1/deals/bulk', () => {
  it('set_stage moves deals like a PATCH: stage history, events, and closing on a won stage', async () => {
    const org = await api.signup('bulk-deals');
    const pipeline = await createPipeline(api, org.token);
    const discovery = stageNamed(pipeline, 'Discovery');
    const deals = await Promise.all([1, 2, 3].map(() => createDeal(org, { pipelineId: pipeline.id })));
    const ids = deals.map((d) => d.id);
    const proposal = stageNamed(pipeline, 'Proposal');
    const moved = await bulk(org.token, { action: 'set_stage', value: proposal.id, select: { ids } });
    expect(moved.status, JSON.stringify(moved.data)).toBe(200);
    expect(moved.data).toMatchObject({ updated: 3, unchanged: 0 });
    for (const id of ids) {
      const changes = await history(org, id);
      expect(changes[0]).toMatchObject({ fromStageId: discovery.id, toStageId: proposal.id });
      expect((await eventsOf(stack, org, id)).map((e) => e.type)).toEqual([
        'deal.created',
        'deal.stage_changed',
        'deal.updated',
        'deal.stage_changed',
      ]);
    }
    const again = await bulk(org.token, { action: 'set_stage', value: proposal.id, select: { ids } });
    expect(again.data).toMatchObject({ updated: 0, unchanged: 3 });
    const won = stageNamed(pipeline, 'Won');
    const closed = await bulk(org.token, {
      action: 'set_stage',
      value: won.id,
      select: { filter: { pipelineId: pipeline.id, stageId: proposal.id } },
    });
    expect(closed.data.updated).toBe(3);
    const deal = await api.call('GET', `/api/v1/deals/${ids[0]}`, { token: org.token });
    expect(deal.data).toMatchObject({ stageId: won.id, status: 'won', version: 3 });
    expect((await eventsOf(stack, org, ids[0]!)).map((e) => e.type)).toContain('deal.won');
    expect(await history(org, ids[0]!)).toHaveLength(3);
  });

  it('refuses a stage of another organization, and keeps reps and viewers to their rights', async () => {
    const [org, other] = await Promise.all([api.signup('bulk-deals-roles'), api.signup('bulk-deals-other')]);
    const foreign = await createPipeline(api, other.token);
    const [viewer, rep] = await Promise.all([api.member(org.token, 'viewer'), api.member(org.token, 'sales_rep')]);
    const pipeline = await createPipeline(api, org.token);
    const admins = await createDeal(org, { pipelineId: pipeline.id });
    const reps = await createDeal(rep, { pipelineId: pipeline.id });
    const select = { ids: [admins.id, reps.id] };
    const value = stageNamed(pipeline, 'Proposal').id;
    expectError(await bulk(viewer.token, { action: 'set_stage', value, select }), 403, 'forbidden');
    const foreignStage = stageNamed(foreign, 'Proposal').id;
    expectError(await bulk(org.token, { action: 'set_stage', value: foreignStage, select }), 400, 'unknown_stage');
    const byRep = await bulk(rep.token, { action: 'set_stage', value, select });
    expect(byRep.data.results).toEqual([
      { id: admins.id, status: 'not_found' },
      { id: reps.id, status: 'updated' },
    ]);
    expect(await history(org, admins.id)).toHaveLength(1);
    const tagged = await bulk(org.token, {
      action: 'add_tags',
      value: ['Q4'],
      select: { filter: { pipelineId: pipeline.id } },
    });
    expect(tagged.data.updated).toBe(2);
    const byTag = await bulk(org.token, { action: 'assign', value: rep.user.id, select: { filter: { tag: 'q4' } } });
    expect(byTag.data).toMatchObject({ updated: 1, unchanged: 1 });
    expectError(await bulk(org.token, { action: 'delete', select }), 400, 'validation_failed');
  });
});
