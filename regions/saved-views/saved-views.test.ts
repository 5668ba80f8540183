import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const view = {
  name: 'Qualified',
  entity: 'lead',
  filters: { status: 'qualified' },
  sort: [{ field: 'createdAt', direction: 'desc' }],
};

describe('saved views', () => {
  it('creates, reads, changes and deletes a view; shared views are read-only to others', async () => {
    const admin = await api.signup('sv-crud');
    const rep = await api.member(admin.token, 'sales_rep');
    const viewer = await api.member(admin.token, 'viewer');
    const made = await api.call('POST', '/api/v1/saved-views', { token: rep.token, body: view });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data).toMatchObject({ ...view, shared: false, ownerId: rep.user.id });
    expect(made.headers.get('location')).toBe(`/api/v1/saved-views/${made.data.id}`);
    const id = made.data.id;

    // Private: invisible to everyone else, even admins.
    expectError(await api.call('GET', `/api/v1/saved-views/${id}`, { token: admin.token }), 404);
    expectError(await api.call('PATCH', `/api/v1/saved-views/${id}`, { token: admin.token, body: { name: 'x' } }), 404);
    expectError(await api.call('DELETE', `/api/v1/saved-views/${id}`, { token: viewer.token }), 404);
    expect((await api.call('GET', '/api/v1/saved-views', { token: admin.token })).data.data).toEqual([]);

    const shared = await api.call('PATCH', `/api/v1/saved-views/${id}`, {
      token: rep.token,
      body: { shared: true, name: 'Hot leads', filters: { status: 'new', source: 'referral' } },
    });
    expect(shared.status, JSON.stringify(shared.data)).toBe(200);
    expect(shared.data).toMatchObject({
      shared: true,
      name: 'Hot leads',
      filters: { status: 'new', source: 'referral' },
    });
    const seen = await api.call('GET', `/api/v1/saved-views/${id}`, { token: viewer.token });
    expect(seen.status).toBe(200);
    expect(
      (await api.call('GET', '/api/v1/saved-views?entity=lead', { token: admin.token })).data.data.map(
        (v: { id: string }) => v.id,
      ),
    ).toEqual([id]);
    expect((await api.call('GET', '/api/v1/saved-views?entity=deal', { token: admin.token })).data.data).toEqual([]);
    expectError(
      await api.call('PATCH', `/api/v1/saved-views/${id}`, { token: admin.token, body: { name: 'mine' } }),
      403,
    );
    expectError(await api.call('DELETE', `/api/v1/saved-views/${id}`, { token: viewer.token }), 403);

    expect((await api.call('DELETE', `/api/v1/saved-views/${id}`, { token: rep.token })).status).toBe(204);
    expectError(await api.call('GET', `/api/v1/saved-views/${id}`, { token: rep.token }), 404);
  });

  it("checks filters against the entity's list parameters and custom fields", async () => {
    const { token } = await api.signup('sv-filters');
    const post = (body: Record<string, unknown>) => api.call('POST', '/api/v1/saved-views', { token, body });
    const details = async (body: Record<string, unknown>) => {
      const reply = await post(body);
      expectError(reply, 400, 'validation_failed', JSON.stringify(body));
      return reply.data.error.details.map((d: { path: string }) => d.path);
    };
    expect(await details({ ...view, filters: { status: 'sleeping' } })).toEqual(['filters.status']);
    expect(await details({ ...view, filters: { color: 'red' } })).toEqual(['filters.color']);
    expect(await details({ ...view, filters: { cursor: 'abc' } })).toContain('filters.cursor');
    expect(await details({ ...view, entity: 'deal', filters: { status: 'qualified' } })).toEqual(['filters.status']);
    expect(await details({ ...view, filters: { 'cf.tier': 'gold' } })).toEqual(['filters.cf.tier']);
    expect(await details({ ...view, entity: 'activity', filters: { 'cf.tier': 'gold' } })).toEqual(['filters.cf.tier']);
    await details({ ...view, sort: [{ field: 'createdAt', direction: 'up' }] });
    await details({ ...view, entity: 'invoice' });
    await details({ ...view, name: '' });
    await details({ ...view, extra: true });

    const field = await api.call('POST', '/api/v1/custom-fields', {
      token,
      body: { entity: 'deal', key: 'seats', label: 'Seats', type: 'number' },
    });
    expect(field.status).toBe(201);
    expect(await details({ ...view, entity: 'deal', filters: { 'cf.seats': 'many' } })).toEqual(['filters.cf.seats']);
    const ok = await post({
      name: 'Big open deals',
      entity: 'deal',
      filters: { status: 'open', 'cf.seats': 40, limit: 20 },
    });
    expect(ok.status, JSON.stringify(ok.data)).toBe(201);
    expect(ok.data.filters).toEqual({ status: 'open', 'cf.seats': '40', limit: '20' });
    const activities = await post({ name: 'Calls', entity: 'activity', filters: { type: 'call' } });
    expect(activities.status, JSON.stringify(activities.data)).toBe(201);
  });

  it('pages, replays idempotent creates, and hides views from other organizations', async () => {
    const a = await api.signup('sv-a');
    const b = await api.signup('sv-b');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const made = await api.call('POST', '/api/v1/saved-views', {
        token: a.token,
        body: { ...view, name: `V${i}`, shared: true },
      });
      ids.unshift(made.data.id);
    }
    const first = await api.call('GET', '/api/v1/saved-views?limit=2', { token: a.token });
    expect(first.data.data.map((v: { id: string }) => v.id)).toEqual(ids.slice(0, 2));
    const second = await api.call('GET', `/api/v1/saved-views?limit=2&cursor=${first.data.nextCursor}`, {
      token: a.token,
    });
    expect(second.data).toMatchObject({ nextCursor: null });
    expect(second.data.data.map((v: { id: string }) => v.id)).toEqual(ids.slice(2));

    const headers = { 'idempotency-key': 'sv-once' };
    const once = await api.call('POST', '/api/v1/saved-views', { token: a.token, body: view, headers });
    const again = await api.call('POST', '/api/v1/saved-views', { token: a.token, body: view, headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data.id).toBe(once.data.id);
    expectError(
      await api.call('POST', '/api/v1/saved-views', { token: a.token, body: { ...view, name: 'other' }, headers }),
      422,
    );

    expect((await api.call('GET', '/api/v1/saved-views', { token: b.token })).data.data).toEqual([]);
    expectError(await api.call('GET', `/api/v1/saved-views/${ids[0]}`, { token: b.token }), 404);
    expectError(await api.call('PATCH', `/api/v1/saved-views/${ids[0]}`, { token: b.token, body: { name: 'x' } }), 404);
    expectError(await api.call('DELETE', `/api/v1/saved-views/${ids[0]}`, { token: b.token }), 404);
  });
});
