import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Api, auditOf, createPipeline, eventsOf, type Pipeline, stageNamed } from './fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const names = (reply: Reply | Pipeline) =>
  ('data' in reply ? (reply.data as Pipeline) : reply).stages.map((s) => s.name);
const positions = (reply: Reply) => (reply.data as Pipeline).stages.map((s) => s.position);

async function setUp(tag: string) {
  const org = await api.signup(tag);
  const pipeline = await createPipeline(api, org.token, { name: 'Stages' });
  return { org, pipeline, path: `/api/v1/pipelines/${pipeline.id}` };
}

describe('pipeline stages', () => {
  it('adds stages last by default or at a position, keeping positions contiguous', async () => {
    const { org, pipeline, path } = await setUp('st-add');
    const last = await api.call('POST', `${path}/stages`, { token: org.token, body: { name: 'Parked' } });
    expect(last.status, JSON.stringify(last.data)).toBe(201);
    expect(last.headers.get('etag')).toBe('"v2"');
    expect(last.headers.get('location')).toBe(path);
    expect(names(last)).toEqual(['Discovery', 'Proposal', 'Won', 'Lost', 'Parked']);
    expect(stageNamed(last.data, 'Parked')).toMatchObject({ kind: 'open', probability: 0, position: 4 });

    const first = await api.call('POST', `${path}/stages`, {
      token: org.token,
      body: { name: 'Lead in', probability: 5, position: 0 },
    });
    expect(names(first)).toEqual(['Lead in', 'Discovery', 'Proposal', 'Won', 'Lost', 'Parked']);
    const middle = await api.call('POST', `${path}/stages`, {
      token: org.token,
      body: { name: 'Also won', kind: 'won', position: 4 },
    });
    expect(names(middle)).toEqual(['Lead in', 'Discovery', 'Proposal', 'Won', 'Also won', 'Lost', 'Parked']);
    expect(stageNamed(middle.data, 'Also won')).toMatchObject({ probability: 100, kind: 'won' });
    const past = await api.call('POST', `${path}/stages`, { token: org.token, body: { name: 'End', position: 50 } });
    expect(names(past).at(-1)).toBe('End');
    expect(positions(past)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(past.data.version).toBe(5);
    // Every stage kept its id.
    for (const stage of pipeline.stages) expect(stageNamed(past.data, stage.name).id).toBe(stage.id);

    const events = await eventsOf(stack, org, pipeline.id);
    expect(events.map((e) => e.type)).toEqual([
      'pipeline.created',
      'pipeline.stage_created',
      'pipeline.stage_created',
      'pipeline.stage_created',
      'pipeline.stage_created',
    ]);
    expect(events[1]!.payload.stageId).toBe(stageNamed(last.data, 'Parked').id);
  });

  it('renames, reweights and moves a stage, the others closing up', async () => {
    const { org, pipeline, path } = await setUp('st-move');
    const proposal = stageNamed(pipeline, 'Proposal');
    const stagePath = `${path}/stages/${proposal.id}`;
    const moved = await api.call('PATCH', stagePath, {
      token: org.token,
      body: { name: 'Pricing', probability: 60, position: 0 },
      headers: { 'if-match': '"v1"' },
    });
    expect(moved.status, JSON.stringify(moved.data)).toBe(200);
    expect(moved.headers.get('etag')).toBe('"v2"');
    expect(names(moved)).toEqual(['Pricing', 'Discovery', 'Won', 'Lost']);
    expect(positions(moved)).toEqual([0, 1, 2, 3]);
    expect(stageNamed(moved.data, 'Pricing')).toMatchObject({ id: proposal.id, probability: 60, kind: 'open' });

    const down = await api.call('PATCH', stagePath, { token: org.token, body: { position: 3 } });
    expect(names(down)).toEqual(['Discovery', 'Won', 'Lost', 'Pricing']);
    const far = await api.call('PATCH', stagePath, { token: org.token, body: { position: 1 } });
    expect(names(far)).toEqual(['Discovery', 'Pricing', 'Won', 'Lost']);
    expect(positions(far)).toEqual([0, 1, 2, 3]);

    // Nothing to change: the same version.
    const same = await api.call('PATCH', stagePath, { token: org.token, body: { position: 1, name: 'Pricing' } });
    expect(same.data.version).toBe(far.data.version);

    const reread = await api.call('GET', path, { token: org.token });
    expect(reread.data).toEqual(far.data);
    const audit = await auditOf(stack, org, pipeline.id);
    expect(audit.map((a) => a.action)).toEqual([
      'pipeline.created',
      'pipeline.stage_updated',
      'pipeline.stage_updated',
      'pipeline.stage_updated',
    ]);
    expect(audit[1]!.changes).toMatchObject({
      stageId: proposal.id,
      name: ['Proposal', 'Pricing'],
      probability: [50, 60],
      position: [1, 0],
    });
  });

  it('deletes an empty stage and closes up the positions', async () => {
    const { org, pipeline, path } = await setUp('st-delete');
    const discovery = stageNamed(pipeline, 'Discovery');
    const gone = await api.call('DELETE', `${path}/stages/${discovery.id}`, {
      token: org.token,
      headers: { 'if-match': '"v1"' },
    });
    expect(gone.status, JSON.stringify(gone.data)).toBe(200);
    expect(gone.headers.get('etag')).toBe('"v2"');
    expect(names(gone)).toEqual(['Proposal', 'Won', 'Lost']);
    expect(positions(gone)).toEqual([0, 1, 2]);
    expectError(await api.call('DELETE', `${path}/stages/${discovery.id}`, { token: org.token }), 404, 'not_found');
    expectError(
      await api.call('PATCH', `${path}/stages/${discovery.id}`, { token: org.token, body: { name: 'Back' } }),
      404,
      'not_found',
    );
    expect((await eventsOf(stack, org, pipeline.id)).at(-1)).toMatchObject({
      type: 'pipeline.stage_deleted',
      payload: { stageId: discovery.id },
    });
  });

  it('keeps at least one open stage: the last one can be neither deleted nor made won or lost', async () => {
    const { org, pipeline, path } = await setUp('st-open');
    const [discovery, proposal, won, lost] = pipeline.stages as [Pipeline['stages'][0], ...Pipeline['stages']];
    expect((await api.call('DELETE', `${path}/stages/${discovery.id}`, { token: org.token })).status).toBe(200);
    expectError(
      await api.call('DELETE', `${path}/stages/${proposal!.id}`, { token: org.token }),
      409,
      'open_stage_required',
    );
    expectError(
      await api.call('PATCH', `${path}/stages/${proposal!.id}`, { token: org.token, body: { kind: 'lost' } }),
      409,
      'open_stage_required',
    );
    // Closed stages may go, and a closed stage may become open, after which the other open one may close.
    expect((await api.call('DELETE', `${path}/stages/${won!.id}`, { token: org.token })).status).toBe(200);
    expect(
      (await api.call('PATCH', `${path}/stages/${lost!.id}`, { token: org.token, body: { kind: 'open' } })).status,
    ).toBe(200);
    const closed = await api.call('PATCH', `${path}/stages/${proposal!.id}`, {
      token: org.token,
      body: { kind: 'won' },
    });
    expect(closed.status).toBe(200);
    expect(closed.data.stages.map((s: { kind: string }) => s.kind)).toEqual(['won', 'open']);
  });

  it('refuses to delete or re-kind a stage while deals sit in it, even closed ones', async () => {
    const { org, pipeline, path } = await setUp('st-deals');
    const proposal = stageNamed(pipeline, 'Proposal');
    const deal = await api.call('POST', '/api/v1/deals', {
      token: org.token,
      body: { name: 'Sitting', pipelineId: pipeline.id, stageId: proposal.id },
    });
    expect(deal.status, JSON.stringify(deal.data)).toBe(201);
    const stagePath = `${path}/stages/${proposal.id}`;
    const refused = await api.call('DELETE', stagePath, { token: org.token });
    expectError(refused, 409, 'stage_has_deals');
    expectError(
      await api.call('PATCH', stagePath, { token: org.token, body: { kind: 'won' } }),
      409,
      'stage_has_deals',
    );
    // Other changes to the stage are fine while deals sit in it.
    const renamed = await api.call('PATCH', stagePath, {
      token: org.token,
      body: { name: 'Offer', probability: 55, position: 0 },
    });
    expect(renamed.status).toBe(200);

    const won = stageNamed(pipeline, 'Won');
    expect((await api.call('POST', `/api/v1/deals/${deal.data.id}/won`, { token: org.token })).status).toBe(200);
    expectError(await api.call('DELETE', `${path}/stages/${won.id}`, { token: org.token }), 409, 'stage_has_deals');
    // The deal left Proposal, so now it may go.
    expect((await api.call('DELETE', stagePath, { token: org.token })).status).toBe(200);
    const after = await api.call('GET', path, { token: org.token });
    expect(names(after)).toEqual(['Discovery', 'Won', 'Lost']);
  });

  it('keeps stage names unique within a pipeline, ignoring case', async () => {
    const { org, pipeline, path } = await setUp('st-names');
    expectError(
      await api.call('POST', `${path}/stages`, { token: org.token, body: { name: 'proposal' } }),
      409,
      'stage_name_taken',
    );
    const discovery = stageNamed(pipeline, 'Discovery');
    expectError(
      await api.call('PATCH', `${path}/stages/${discovery.id}`, { token: org.token, body: { name: 'WON' } }),
      409,
      'stage_name_taken',
    );
    // Renaming a stage to its own name in another case is allowed.
    const recased = await api.call('PATCH', `${path}/stages/${discovery.id}`, {
      token: org.token,
      body: { name: 'DISCOVERY' },
    });
    expect(recased.status).toBe(200);
    // Another pipeline may reuse the name.
    const other = await createPipeline(api, org.token);
    expect(stageNamed(other, 'Proposal')).toBeDefined();
  });

  it('refuses bad stage bodies and ids with 400, and a stage of another pipeline with 404', async () => {
    const { org, pipeline, path } = await setUp('st-bad');
    const stage = pipeline.stages[0]!;
    for (const body of [
      {},
      { name: '' },
      { name: 'X', probability: 101 },
      { name: 'X', position: -1 },
      { name: 'X', kind: 'pending' },
      { name: 'X', pipelineId: pipeline.id },
    ]) {
      expectError(
        await api.call('POST', `${path}/stages`, { token: org.token, body }),
        400,
        'validation_failed',
        JSON.stringify(body),
      );
    }
    for (const body of [{}, { position: 1.5 }, { probability: '50' }, { id: stage.id }]) {
      expectError(
        await api.call('PATCH', `${path}/stages/${stage.id}`, { token: org.token, body }),
        400,
        'validation_failed',
        JSON.stringify(body),
      );
    }
    expectError(
      await api.call('PATCH', `${path}/stages/nope`, { token: org.token, body: { name: 'X' } }),
      400,
      'validation_failed',
    );
    const other = await createPipeline(api, org.token);
    expectError(
      await api.call('PATCH', `/api/v1/pipelines/${other.id}/stages/${stage.id}`, {
        token: org.token,
        body: { name: 'Crossed' },
      }),
      404,
      'not_found',
    );
    expectError(
      await api.call('DELETE', `/api/v1/pipelines/${other.id}/stages/${stage.id}`, { token: org.token }),
      404,
      'not_found',
    );
    const unchanged = await api.call('GET', path, { token: org.token });
    expect(unchanged.data).toEqual(pipeline);
  });

  it("uses the pipeline's ETag for If-Match on stage writes (412, nothing changed)", async () => {
    const { org, pipeline, path } = await setUp('st-if-match');
    const stage = pipeline.stages[0]!;
    expect(
      (
        await api.call('PATCH', `${path}/stages/${stage.id}`, {
          token: org.token,
          body: { probability: 15 },
          headers: { 'if-match': '"v1"' },
        })
      ).status,
    ).toBe(200);
    for (const attempt of [
      api.call('PATCH', `${path}/stages/${stage.id}`, {
        token: org.token,
        body: { probability: 99 },
        headers: { 'if-match': '"v1"' },
      }),
      api.call('DELETE', `${path}/stages/${stage.id}`, { token: org.token, headers: { 'if-match': '"v1"' } }),
      api.call('POST', `${path}/stages`, { token: org.token, body: { name: 'Late' }, headers: { 'if-match': '"v1"' } }),
    ]) {
      expectError(await attempt, 412, 'precondition_failed');
    }
    const read = await api.call('GET', path, { token: org.token });
    expect(read.data.version).toBe(2);
    expect(read.data.stages).toHaveLength(4);
    expect(read.data.stages[0].probability).toBe(15);
  });

  it('adds one stage for repeated requests with the same Idempotency-Key', async () => {
    const { org, path } = await setUp('st-idem');
    const key = api.unique('stage-key');
    const send = (body: Record<string, unknown>) =>
      api.call('POST', `${path}/stages`, { token: org.token, body, headers: { 'idempotency-key': key } });
    const replies = await Promise.all([send({ name: 'Once' }), send({ name: 'Once' }), send({ name: 'Once' })]);
    for (const reply of replies) expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    for (const reply of replies) expect(reply.data).toEqual(replies[0]!.data);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expectError(await send({ name: 'Other' }), 422, 'idempotency_key_reused');
    const read = await api.call('GET', path, { token: org.token });
    expect(names(read).filter((n) => n === 'Once')).toHaveLength(1);
  });

  it('refuses a 51st stage with 409', async () => {
    const org = await api.signup('st-many');
    const pipeline = await createPipeline(api, org.token, {
      stages: Array.from({ length: 50 }, (_, i) => ({ name: `Step ${i}` })),
    });
    expectError(
      await api.call('POST', `/api/v1/pipelines/${pipeline.id}/stages`, {
        token: org.token,
        body: { name: 'One more' },
      }),
      409,
      'too_many_stages',
    );
  });
});

describe('stages and deals racing', () => {
  it('never leaves a deal in a deleted stage when the delete races deals being placed in it', async () => {
    for (let round = 0; round < 3; round++) {
      const { org, pipeline, path } = await setUp(`st-race-${round}`);
      const target = stageNamed(pipeline, 'Proposal');
      const placing = Array.from({ length: 4 }, (_, i) =>
        api.call('POST', '/api/v1/deals', {
          token: org.token,
          body: { name: `Racer ${i}`, pipelineId: pipeline.id, stageId: target.id },
        }),
      );
      const deleting = api.call('DELETE', `${path}/stages/${target.id}`, { token: org.token });
      const [deleted, ...placed] = await Promise.all([deleting, ...placing]);
      const made = placed.filter((r) => r.status === 201);
      for (const reply of placed) if (reply.status !== 201) expectError(reply, 400, 'stage_not_in_pipeline');
      if (deleted.status === 200) expect(made).toEqual([]);
      else {
        expectError(deleted, 409, 'stage_has_deals');
        expect(made.length).toBeGreaterThan(0);
      }
      const stages = (await api.call('GET', path, { token: org.token })).data.stages.map((s: { id: string }) => s.id);
      const listed = await api.call('GET', `/api/v1/deals?pipelineId=${pipeline.id}`, { token: org.token });
      for (const deal of listed.data.data) expect(stages).toContain(deal.stageId);
    }
  });

  it('never leaves a deal in a deleted pipeline when the delete races deals being created in it', async () => {
    const { org, pipeline, path } = await setUp('pl-race');
    const [deleted, ...placed] = await Promise.all([
      api.call('DELETE', path, { token: org.token }),
      ...Array.from({ length: 4 }, (_, i) =>
        api.call('POST', '/api/v1/deals', { token: org.token, body: { name: `Racer ${i}`, pipelineId: pipeline.id } }),
      ),
    ]);
    const made = placed.filter((r) => r.status === 201);
    for (const reply of placed) if (reply.status !== 201) expectError(reply, 400, 'unknown_pipeline');
    if (deleted.status === 204) expect(made).toEqual([]);
    else expectError(deleted, 409, 'pipeline_has_deals');
    const listed = await api.call('GET', `/api/v1/deals?pipelineId=${pipeline.id}`, { token: org.token });
    expect(listed.data.data).toHaveLength(made.length);
  });
});
