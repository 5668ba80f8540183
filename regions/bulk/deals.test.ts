import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { activities, dealStageChanges, deals } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Api, createPipeline, eventsOf, type Session, stageNamed } from '../pipelines/fixtures.ts';
import { attachFile, auditRows, defineField, eventRows, make, onShard } from './testing.ts';

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
    expectError(await bulk(rep.token, { action: 'delete', select }), 403, 'forbidden');
    expectError(await bulk(viewer.token, { action: 'delete', select }), 403, 'forbidden');
    expect(await history(org, admins.id)).toHaveLength(1);
  });

  it('deletes like a single DELETE, by ids and by filter: stage history goes, activities unlinked, files deleted', async () => {
    const [org, other] = await Promise.all([api.signup('bulk-deals-delete'), api.signup('bulk-deals-delete-o')]);
    const [manager, rep] = await Promise.all([api.member(org.token, 'manager'), api.member(org.token, 'sales_rep')]);
    await defineField(api, org.token, 'deal', 'region');
    const pipeline = await createPipeline(api, org.token);
    const gone = await createDeal(org, { pipelineId: pipeline.id });
    const repsOwn = await createDeal(rep, { pipelineId: pipeline.id });
    const emea = await createDeal(org, { pipelineId: pipeline.id, customFields: { region: 'emea' } });
    const apac = await createDeal(org, { pipelineId: pipeline.id, customFields: { region: 'apac' } });
    const foreign = await createDeal(other);
    const activity = await make(api, org.token, '/api/v1/activities', { type: 'note', body: 'x', dealId: gone.id });
    const file = await attachFile(stack, org, `/api/v1/deals/${gone.id}`);
    const missing = newId();

    const select = { ids: [gone.id, repsOwn.id, missing, foreign.id] };
    const byIds = await bulk(manager.token, { action: 'delete', select });
    expect(byIds.status, JSON.stringify(byIds.data)).toBe(200);
    expect(byIds.data).toEqual({
      results: [
        { id: gone.id, status: 'updated' },
        { id: repsOwn.id, status: 'updated' },
        { id: missing, status: 'not_found' },
        { id: foreign.id, status: 'not_found' },
      ],
      updated: 2,
      unchanged: 0,
      failed: 0,
      notFound: 2,
    });
    expect(await file.exists()).toBe(false);
    const left = await onShard(stack, org, async (tx) => ({
      history: await tx
        .select()
        .from(dealStageChanges)
        .where(inArray(dealStageChanges.dealId, [gone.id, repsOwn.id])),
      activity: (await tx.select().from(activities).where(eq(activities.id, activity)))[0],
    }));
    expect(left.history).toEqual([]);
    expect(left.activity).toMatchObject({ dealId: null, version: 2 });
    const [audit] = await auditRows(stack, org, 'deal.deleted', [gone.id]);
    expect(audit!.changes).toEqual({
      name: 'Deal',
      pipelineId: pipeline.id,
      stageId: gone.stageId,
      unlinked: { activityIds: [activity] },
      attachmentsDeleted: 1,
    });
    expect((await eventRows(stack, org, 'deal.deleted', [gone.id, repsOwn.id])).map((e) => e.payload)).toEqual([
      { dealId: gone.id },
      { dealId: repsOwn.id },
    ]);

    const byFilter = await bulk(org.token, {
      action: 'delete',
      select: { filter: { pipelineId: pipeline.id, 'cf.region': 'emea' } },
    });
    expect(byFilter.data.results).toEqual([{ id: emea.id, status: 'updated' }]);
    const remaining = await onShard(stack, org, (tx) => tx.select({ id: deals.id }).from(deals));
    expect(remaining.map((d) => d.id)).toEqual([apac.id]);
    expect(await onShard(stack, other, (tx) => tx.select().from(deals))).toMatchObject([
      { id: foreign.id, version: 1 },
    ]);
    expect(await history(other, foreign.id)).toHaveLength(1);
    const tooMany = { ids: Array.from({ length: 10_001 }, () => newId()) };
    expectError(await bulk(org.token, { action: 'delete', select: tooMany }), 400, 'validation_failed');
  });
});
