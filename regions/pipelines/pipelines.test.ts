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
  pipelinesOf,
} from './fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const defaults = (pipelines: Pipeline[]) => pipelines.filter((p) => p.isDefault).map((p) => p.id);

describe('pipelines', () => {
  it('gives every new organization the default Sales pipeline with its six stages in order', async () => {
    const org = await api.signup('pl-default');
    const [sales, ...others] = await pipelinesOf(api, org.token);
    expect(others).toEqual([]);
    expect(sales).toMatchObject({ name: 'Sales', isDefault: true, version: 1 });
    expect(sales!.stages.map((s) => [s.name, s.position, s.probability, s.kind])).toEqual([
      ['Qualification', 0, 10, 'open'],
      ['Needs analysis', 1, 25, 'open'],
      ['Proposal', 2, 50, 'open'],
      ['Negotiation', 3, 75, 'open'],
      ['Closed won', 4, 100, 'won'],
      ['Closed lost', 5, 0, 'lost'],
    ]);
  });

  it('creates, reads, renames and deletes a pipeline, with ETags, audit rows and pipeline.* events', async () => {
    const org = await api.signup('pl-crud');
    const made = await api.call('POST', '/api/v1/pipelines', {
      token: org.token,
      body: {
        name: '  Enterprise  ',
        stages: [{ name: 'Discovery', probability: 10 }, { name: 'Pilot' }, { name: 'Signed', kind: 'won' }],
      },
    });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.headers.get('etag')).toBe('"v1"');
    expect(made.headers.get('location')).toBe(`/api/v1/pipelines/${made.data.id}`);
    expect(made.data).toMatchObject({ name: 'Enterprise', isDefault: false, position: 1, version: 1 });
    expect(
      made.data.stages.map((s: { name: string; position: number; probability: number; kind: string }) => [
        s.name,
        s.position,
        s.probability,
        s.kind,
      ]),
    ).toEqual([
      ['Discovery', 0, 10, 'open'],
      ['Pilot', 1, 0, 'open'],
      ['Signed', 2, 100, 'won'],
    ]);
    const id = made.data.id as string;
    const path = `/api/v1/pipelines/${id}`;

    const read = await api.call('GET', path, { token: org.token });
    expect(read.status).toBe(200);
    expect(read.data).toEqual(made.data);
    expect(read.headers.get('etag')).toBe('"v1"');
    expect((await api.call('GET', path, { token: org.token, headers: { 'if-none-match': '"v1"' } })).status).toBe(304);
    expect((await pipelinesOf(api, org.token)).map((p) => p.name)).toEqual(['Sales', 'Enterprise']);

    const renamed = await api.call('PATCH', path, {
      token: org.token,
      body: { name: 'Enterprise deals' },
      headers: { 'if-match': '"v1"' },
    });
    expect(renamed.status, JSON.stringify(renamed.data)).toBe(200);
    expect(renamed.data).toMatchObject({ name: 'Enterprise deals', version: 2, isDefault: false });
    expect(renamed.headers.get('etag')).toBe('"v2"');
    // The same name again is no change: no new version.
    const same = await api.call('PATCH', path, { token: org.token, body: { name: 'Enterprise deals' } });
    expect(same.data.version).toBe(2);

    expect((await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v2"' } })).status).toBe(204);
    expectError(await api.call('GET', path, { token: org.token }), 404, 'not_found');
    expect((await pipelinesOf(api, org.token)).map((p) => p.name)).toEqual(['Sales']);

    expect((await eventsOf(stack, org, id)).map((e) => e.type)).toEqual([
      'pipeline.created',
      'pipeline.updated',
      'pipeline.deleted',
    ]);
    const audit = await auditOf(stack, org, id);
    expect(audit.map((a) => a.action)).toEqual(['pipeline.created', 'pipeline.updated', 'pipeline.deleted']);
    expect(audit.every((a) => a.actorId === org.user.id)).toBe(true);
    expect(audit[1]!.changes).toEqual({ name: ['Enterprise', 'Enterprise deals'] });
  });

  it('refuses bad pipeline bodies with 400 naming the field', async () => {
    const org = await api.signup('pl-bad');
    const cases: [unknown, string][] = [
      [{ name: 'X', stages: [] }, 'stages'],
      [{ name: 'X' }, 'stages'],
      [{ stages: [{ name: 'A' }] }, 'name'],
      [{ name: '   ', stages: [{ name: 'A' }] }, 'name'],
      [
        {
          name: 'X',
          stages: [
            { name: 'W', kind: 'won' },
            { name: 'L', kind: 'lost' },
          ],
        },
        'stages',
      ],
      [{ name: 'X', stages: [{ name: 'A' }, { name: ' a ' }] }, 'stages.1.name'],
      [{ name: 'X', stages: [{ name: 'A', probability: 101 }] }, 'stages.0.probability'],
      [{ name: 'X', stages: [{ name: 'A', probability: -1 }] }, 'stages.0.probability'],
      [{ name: 'X', stages: [{ name: 'A', probability: 12.5 }] }, 'stages.0.probability'],
      [{ name: 'X', stages: [{ name: 'A', kind: 'maybe' }] }, 'stages.0.kind'],
      [{ name: 'X', stages: [{ name: 'A', colour: 'red' }] }, 'stages.0.colour'],
      [{ name: 'X', stages: [{ name: 'A' }], owner: 'me' }, 'owner'],
      [{ name: 'X\u0000', stages: [{ name: 'A' }] }, 'name'],
      [{ name: 'X', stages: Array.from({ length: 51 }, (_, i) => ({ name: `S${i}` })) }, 'stages'],
    ];
    for (const [body, path] of cases) {
      const reply = await api.call('POST', '/api/v1/pipelines', { token: org.token, body });
      expectError(reply, 400, 'validation_failed', JSON.stringify(body).slice(0, 80));
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const sales = await defaultPipeline(api, org.token);
    for (const body of [{}, { isDefault: 'yes' }, { stages: [] }, { name: '' }]) {
      const reply = await api.call('PATCH', `/api/v1/pipelines/${sales.id}`, { token: org.token, body });
      expectError(reply, 400, 'validation_failed', JSON.stringify(body));
    }
    expectError(await api.call('GET', '/api/v1/pipelines/not-a-uuid', { token: org.token }), 400, 'validation_failed');
    expect(await pipelinesOf(api, org.token)).toHaveLength(1);
  });

  it('keeps pipeline names unique in the organization, ignoring case', async () => {
    const org = await api.signup('pl-names');
    const other = await createPipeline(api, org.token, { name: 'Partners' });
    const stages = [{ name: 'A' }];
    expectError(
      await api.call('POST', '/api/v1/pipelines', { token: org.token, body: { name: 'sales', stages } }),
      409,
      'pipeline_name_taken',
    );
    expectError(
      await api.call('PATCH', `/api/v1/pipelines/${other.id}`, { token: org.token, body: { name: 'SALES' } }),
      409,
      'pipeline_name_taken',
    );
    // Another organization may use any name.
    const elsewhere = await api.signup('pl-names-b');
    await createPipeline(api, elsewhere.token, { name: 'Partners' });
  });

  it('keeps exactly one default pipeline: moving it, creating a new default, refusing to unset it', async () => {
    const org = await api.signup('pl-single-default');
    const sales = await defaultPipeline(api, org.token);
    const second = await createPipeline(api, org.token);
    expect(defaults(await pipelinesOf(api, org.token))).toEqual([sales.id]);

    const moved = await api.call('PATCH', `/api/v1/pipelines/${second.id}`, {
      token: org.token,
      body: { isDefault: true },
    });
    expect(moved.status, JSON.stringify(moved.data)).toBe(200);
    expect(moved.data).toMatchObject({ isDefault: true, version: 2 });
    expect(defaults(await pipelinesOf(api, org.token))).toEqual([second.id]);
    // The previous default changed too, so its ETag moved with it.
    const previous = await api.call('GET', `/api/v1/pipelines/${sales.id}`, { token: org.token });
    expect(previous.data).toMatchObject({ isDefault: false, version: 2 });
    expect(previous.headers.get('etag')).toBe('"v2"');
    const event = (await eventsOf(stack, org, second.id)).at(-1)!;
    expect(event).toMatchObject({ type: 'pipeline.updated', payload: { previousDefaultId: sales.id } });

    expectError(
      await api.call('PATCH', `/api/v1/pipelines/${second.id}`, { token: org.token, body: { isDefault: false } }),
      409,
      'default_pipeline_required',
    );
    // false on a pipeline that is not the default changes nothing.
    const noop = await api.call('PATCH', `/api/v1/pipelines/${sales.id}`, {
      token: org.token,
      body: { isDefault: false },
    });
    expect(noop.status).toBe(200);
    expect(noop.data.isDefault).toBe(false);

    const third = await createPipeline(api, org.token, { isDefault: true });
    expect(third.isDefault).toBe(true);
    expect(defaults(await pipelinesOf(api, org.token))).toEqual([third.id]);

    expectError(
      await api.call('DELETE', `/api/v1/pipelines/${third.id}`, { token: org.token }),
      409,
      'default_pipeline',
    );
    expect((await api.call('DELETE', `/api/v1/pipelines/${sales.id}`, { token: org.token })).status).toBe(204);
    expect(defaults(await pipelinesOf(api, org.token))).toEqual([third.id]);
  });

  it('ends with exactly one default when several pipelines are made the default at once', async () => {
    const org = await api.signup('pl-default-race');
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await createPipeline(api, org.token));
    const replies = await Promise.all(
      made.map((p) => api.call('PATCH', `/api/v1/pipelines/${p.id}`, { token: org.token, body: { isDefault: true } })),
    );
    for (const reply of replies) expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    const after = await pipelinesOf(api, org.token);
    expect(defaults(after)).toHaveLength(1);
    expect(made.map((p) => p.id)).toContain(defaults(after)[0]);
  });

  it('refuses to delete a pipeline while deals are in it, and deletes it with its stages once they are gone', async () => {
    const org = await api.signup('pl-delete-deals');
    const pipeline = await createPipeline(api, org.token);
    const deal = await api.call('POST', '/api/v1/deals', {
      token: org.token,
      body: { name: 'Blocking deal', pipelineId: pipeline.id },
    });
    expect(deal.status, JSON.stringify(deal.data)).toBe(201);
    const path = `/api/v1/pipelines/${pipeline.id}`;
    const refused = await api.call('DELETE', path, { token: org.token });
    expectError(refused, 409, 'pipeline_has_deals');
    expect(refused.data.error.message).toMatch(/^1 deal/);
    expect((await api.call('GET', path, { token: org.token })).status).toBe(200);

    // A closed deal still sits in the pipeline.
    expect((await api.call('POST', `/api/v1/deals/${deal.data.id}/won`, { token: org.token })).status).toBe(200);
    expectError(await api.call('DELETE', path, { token: org.token }), 409, 'pipeline_has_deals');

    expect((await api.call('DELETE', `/api/v1/deals/${deal.data.id}`, { token: org.token })).status).toBe(204);
    expect((await api.call('DELETE', path, { token: org.token })).status).toBe(204);
    expectError(await api.call('GET', path, { token: org.token }), 404, 'not_found');
    // Its stages went with it: a deal can no longer be placed in one.
    const orphan = await api.call('POST', '/api/v1/deals', {
      token: org.token,
      body: { name: 'Nowhere', pipelineId: pipeline.id, stageId: pipeline.stages[0]!.id },
    });
    expectError(orphan, 400, 'unknown_pipeline');
  });

  it('honours If-Match on PATCH and DELETE (412, nothing changed) and Idempotency-Key on POST', async () => {
    const org = await api.signup('pl-conditions');
    const pipeline = await createPipeline(api, org.token, { name: 'Conditional' });
    const path = `/api/v1/pipelines/${pipeline.id}`;
    expect(
      (await api.call('PATCH', path, { token: org.token, body: { name: 'Changed' }, headers: { 'if-match': '"v1"' } }))
        .status,
    ).toBe(200);
    expectError(
      await api.call('PATCH', path, { token: org.token, body: { name: 'Stale' }, headers: { 'if-match': '"v1"' } }),
      412,
      'precondition_failed',
    );
    expectError(await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v1"' } }), 412);
    const read = await api.call('GET', path, { token: org.token });
    expect(read.data).toMatchObject({ name: 'Changed', version: 2 });

    const key = api.unique('pl-key');
    const body = { name: 'Once', stages: [{ name: 'Only' }] };
    const first = await api.call('POST', '/api/v1/pipelines', {
      token: org.token,
      body,
      headers: { 'idempotency-key': key },
    });
    const again = await api.call('POST', '/api/v1/pipelines', {
      token: org.token,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await api.call('POST', '/api/v1/pipelines', {
        token: org.token,
        body: { ...body, name: 'Twice' },
        headers: { 'idempotency-key': key },
      }),
      422,
      'idempotency_key_reused',
    );
    expect((await pipelinesOf(api, org.token)).filter((p) => p.name === 'Once')).toHaveLength(1);
  });
});
