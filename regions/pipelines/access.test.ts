import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Api, createPipeline, defaultPipeline, type Pipeline, pipelinesOf, type Session } from './fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const defaults = (pipelines: Pipeline[]) => pipelines.filter((p) => p.isDefault).map((p) => p.id);

describe('pipelines by role and organization', () => {
  let admin: Session;
  let manager: { token: string };
  let rep: { token: string };
  let viewer: { token: string };

  beforeAll(async () => {
    admin = await api.signup('pl-roles');
    [manager, rep, viewer] = await Promise.all([
      api.member(admin.token, 'manager'),
      api.member(admin.token, 'sales_rep'),
      api.member(admin.token, 'viewer'),
    ]);
  });

  it('lets every role read pipelines, and only admins and managers change them', async () => {
    const sales = await defaultPipeline(api, admin.token);
    for (const reader of [manager, rep, viewer]) {
      expect((await pipelinesOf(api, reader.token)).map((p) => p.id)).toContain(sales.id);
      expect((await api.call('GET', `/api/v1/pipelines/${sales.id}`, { token: reader.token })).status).toBe(200);
    }
    const stage = sales.stages[0]!;
    for (const outsider of [rep, viewer]) {
      const attempts = [
        api.call('POST', '/api/v1/pipelines', { token: outsider.token, body: { name: 'No', stages: [{ name: 'A' }] } }),
        api.call('PATCH', `/api/v1/pipelines/${sales.id}`, { token: outsider.token, body: { name: 'No' } }),
        api.call('DELETE', `/api/v1/pipelines/${sales.id}`, { token: outsider.token }),
        api.call('POST', `/api/v1/pipelines/${sales.id}/stages`, { token: outsider.token, body: { name: 'No' } }),
        api.call('PATCH', `/api/v1/pipelines/${sales.id}/stages/${stage.id}`, {
          token: outsider.token,
          body: { name: 'No' },
        }),
        api.call('DELETE', `/api/v1/pipelines/${sales.id}/stages/${stage.id}`, { token: outsider.token }),
      ];
      for (const reply of await Promise.all(attempts)) expectError(reply, 403, 'forbidden');
    }
    const byManager = await createPipeline(api, manager.token, { name: 'Managed' });
    const renamed = await api.call('PATCH', `/api/v1/pipelines/${byManager.id}`, {
      token: manager.token,
      body: { name: 'Managed well' },
    });
    expect(renamed.status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/pipelines/${byManager.id}`, { token: manager.token })).status).toBe(204);
    expect(await pipelinesOf(api, admin.token)).toEqual([sales]);
  });

  it('lets an API key read pipelines with deals:read and change them only with pipelines:manage', async () => {
    const key = async (scopes: string[]) => {
      const made = await api.call('POST', '/api/v1/api-keys', {
        token: admin.token,
        body: { name: api.unique('key'), scopes },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
      return made.data.key as string;
    };
    const reader = await key(['deals:read']);
    const manage = await key(['pipelines:manage']);
    expect((await api.call('GET', '/api/v1/pipelines', { token: reader })).status).toBe(200);
    expectError(await api.call('GET', '/api/v1/pipelines', { token: manage }), 403, 'forbidden');
    expectError(
      await api.call('POST', '/api/v1/pipelines', { token: reader, body: { name: 'K', stages: [{ name: 'A' }] } }),
      403,
      'forbidden',
    );
    const made = await api.call('POST', '/api/v1/pipelines', {
      token: manage,
      body: { name: api.unique('Keyed'), stages: [{ name: 'A' }] },
    });
    expect(made.status).toBe(201);
    expect((await api.call('DELETE', `/api/v1/pipelines/${made.data.id}`, { token: manage })).status).toBe(204);
  });

  it("never shows or changes another organization's pipeline: 404 by id, absent from its list", async () => {
    const other = await api.signup('pl-other', { region: 'eu' });
    const same = await api.signup('pl-same-region');
    const mine = await createPipeline(api, admin.token, { name: 'Private pipeline' });
    const stage = mine.stages[0]!;
    for (const intruder of [other, same]) {
      const attempts = [
        api.call('GET', `/api/v1/pipelines/${mine.id}`, { token: intruder.token }),
        api.call('PATCH', `/api/v1/pipelines/${mine.id}`, { token: intruder.token, body: { isDefault: true } }),
        api.call('DELETE', `/api/v1/pipelines/${mine.id}`, { token: intruder.token }),
        api.call('POST', `/api/v1/pipelines/${mine.id}/stages`, { token: intruder.token, body: { name: 'Mine now' } }),
        api.call('PATCH', `/api/v1/pipelines/${mine.id}/stages/${stage.id}`, {
          token: intruder.token,
          body: { kind: 'won' },
        }),
        api.call('DELETE', `/api/v1/pipelines/${mine.id}/stages/${stage.id}`, { token: intruder.token }),
      ];
      for (const reply of await Promise.all(attempts)) expectError(reply, 404, 'not_found');
      const theirs = await pipelinesOf(api, intruder.token);
      expect(theirs.map((p) => p.name)).toEqual(['Sales']);
      // Their own pipeline with a stage of ours in the path is still not found.
      const ownSales = theirs[0]!;
      expectError(
        await api.call('PATCH', `/api/v1/pipelines/${ownSales.id}/stages/${stage.id}`, {
          token: intruder.token,
          body: { name: 'Borrowed' },
        }),
        404,
        'not_found',
      );
    }
    const after = await api.call('GET', `/api/v1/pipelines/${mine.id}`, { token: admin.token });
    expect(after.data).toEqual(mine);
    expect(defaults(await pipelinesOf(api, admin.token))).not.toContain(mine.id);
  });
});
