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

const define = async (token: string, body: Record<string, unknown>, status = 201) => {
  const made = await api.call('POST', '/api/v1/custom-fields', { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(status);
  return made.data;
};

const creates = {
  lead: ['/api/v1/leads', { firstName: 'Ada' }],
  contact: ['/api/v1/contacts', { firstName: 'Ada' }],
  company: ['/api/v1/companies', { name: 'Engines' }],
  deal: ['/api/v1/deals', { name: 'Forty seats' }],
} as const;

describe('custom field definitions', () => {
  it('lets admins define, change and delete fields; everyone lists them; others get 403', async () => {
    const admin = await api.signup('cf-admin');
    const viewer = await api.member(admin.token, 'viewer');
    const manager = await api.member(admin.token, 'manager');
    const field = await define(admin.token, {
      entity: 'company',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['gold', 'silver'],
    });
    expect(field).toMatchObject({ key: 'tier', type: 'select', options: ['gold', 'silver'], required: false });
    expectError(
      await api.call('POST', '/api/v1/custom-fields', {
        token: manager.token,
        body: { entity: 'lead', key: 'x', label: 'X', type: 'text' },
      }),
      403,
      'forbidden',
    );
    const listed = await api.call('GET', '/api/v1/custom-fields?entity=company', { token: viewer.token });
    expect(listed.status).toBe(200);
    expect(listed.data.data.map((f: { key: string }) => f.key)).toEqual(['tier']);
    expect((await api.call('GET', '/api/v1/custom-fields?entity=lead', { token: viewer.token })).data.data).toEqual([]);
    expectError(
      await api.call('PATCH', `/api/v1/custom-fields/${field.id}`, { token: viewer.token, body: { label: 'T' } }),
      403,
    );
    const changed = await api.call('PATCH', `/api/v1/custom-fields/${field.id}`, {
      token: admin.token,
      body: { label: 'Account tier', options: ['gold', 'silver', 'bronze'], position: 2 },
    });
    expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    expect(changed.data).toMatchObject({ label: 'Account tier', options: ['gold', 'silver', 'bronze'], position: 2 });
    expectError(await api.call('DELETE', `/api/v1/custom-fields/${field.id}`, { token: manager.token }), 403);
    expect((await api.call('DELETE', `/api/v1/custom-fields/${field.id}`, { token: admin.token })).status).toBe(204);
    expectError(await api.call('DELETE', `/api/v1/custom-fields/${field.id}`, { token: admin.token }), 404);
  });

  it('refuses bad definitions and duplicate keys per entity', async () => {
    const { token } = await api.signup('cf-bad');
    const bad = [
      { entity: 'lead', key: 'Bad-Key', label: 'x', type: 'text' },
      { entity: 'lead', key: 'a'.repeat(41), label: 'x', type: 'text' },
      { entity: 'lead', key: 'pick', label: 'x', type: 'select' },
      { entity: 'lead', key: 'pick', label: 'x', type: 'select', options: ['a', 'a'] },
      { entity: 'lead', key: 'txt', label: 'x', type: 'text', options: ['a'] },
      { entity: 'activity', key: 'x', label: 'x', type: 'text' },
      { entity: 'lead', key: 'x', label: 'x', type: 'text', extra: 1 },
    ];
    for (const body of bad)
      expectError(
        await api.call('POST', '/api/v1/custom-fields', { token, body }),
        400,
        'validation_failed',
        JSON.stringify(body),
      );
    await define(token, { entity: 'lead', key: 'budget', label: 'Budget', type: 'number' });
    await define(token, { entity: 'deal', key: 'budget', label: 'Budget', type: 'number' });
    expectError(
      await api.call('POST', '/api/v1/custom-fields', {
        token,
        body: { entity: 'lead', key: 'budget', label: 'B', type: 'text' },
      }),
      409,
      'custom_field_exists',
    );
  });

  it('replays an idempotent create', async () => {
    const { token } = await api.signup('cf-idem');
    const body = { entity: 'lead', key: 'once', label: 'Once', type: 'boolean' };
    const headers = { 'idempotency-key': 'cf-1' };
    const first = await api.call('POST', '/api/v1/custom-fields', { token, body, headers });
    const again = await api.call('POST', '/api/v1/custom-fields', { token, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data.id).toBe(first.data.id);
  });

  for (const [entity, [path, base]] of Object.entries(creates)) {
    it(`validates, stores, merges and filters ${entity} custom fields`, async () => {
      const { token } = await api.signup(`cf-${entity}`);
      await define(token, { entity, key: 'note', label: 'Note', type: 'text' });
      await define(token, { entity, key: 'seats', label: 'Seats', type: 'number' });
      await define(token, { entity, key: 'renewal', label: 'Renewal', type: 'date' });
      await define(token, { entity, key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] });
      await define(token, {
        entity,
        key: 'regions',
        label: 'Regions',
        type: 'multi_select',
        options: ['emea', 'apac'],
      });
      await define(token, { entity, key: 'active', label: 'Active', type: 'boolean' });
      await define(token, { entity, key: 'code', label: 'Code', type: 'text', required: true });

      expectError(await api.call('POST', path, { token, body: base }), 400, 'validation_failed');
      const missing = await api.call('POST', path, { token, body: { ...base, customFields: {} } });
      expect(missing.data.error.details).toEqual([{ path: 'customFields.code', message: 'Required' }]);
      const wrong = await api.call('POST', path, {
        token,
        body: {
          ...base,
          customFields: {
            code: 'c',
            seats: 'x',
            renewal: '2026-02-30',
            tier: 'bronze',
            regions: ['mars'],
            active: 'no',
            nope: 1,
          },
        },
      });
      expectError(wrong, 400, 'validation_failed');
      expect(wrong.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
        ['active', 'nope', 'regions', 'renewal', 'seats', 'tier'].map((k) => `customFields.${k}`),
      );

      const made = await api.call('POST', path, {
        token,
        body: {
          ...base,
          customFields: {
            code: 'A1',
            note: ' hi ',
            seats: 40,
            renewal: '2027-01-31',
            tier: 'gold',
            regions: ['emea', 'apac'],
            active: true,
          },
        },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
      expect(made.data.customFields).toEqual({
        code: 'A1',
        note: 'hi',
        seats: 40,
        renewal: '2027-01-31',
        tier: 'gold',
        regions: ['emea', 'apac'],
        active: true,
      });
      const other = await api.call('POST', path, {
        token,
        body: { ...base, customFields: { code: 'B2', seats: 5, active: false } },
      });
      expect(other.status).toBe(201);

      const patched = await api.call('PATCH', `${path}/${made.data.id}`, {
        token,
        body: { customFields: { note: null, tier: 'silver' } },
        headers: { 'if-match': made.headers.get('etag')! },
      });
      expect(patched.status, JSON.stringify(patched.data)).toBe(200);
      expect(patched.data.customFields).toEqual({
        code: 'A1',
        seats: 40,
        renewal: '2027-01-31',
        tier: 'silver',
        regions: ['emea', 'apac'],
        active: true,
      });
      expectError(
        await api.call('PATCH', `${path}/${made.data.id}`, { token, body: { customFields: { code: null } } }),
        400,
        'validation_failed',
      );
      expectError(
        await api.call('PATCH', `${path}/${made.data.id}`, { token, body: { customFields: { ghost: 1 } } }),
        400,
        'validation_failed',
      );
      expect((await api.call('GET', `${path}/${made.data.id}`, { token })).data.customFields.tier).toBe('silver');

      const ids = async (query: string) => {
        const reply = await api.call('GET', `${path}?${query}`, { token });
        expect(reply.status, JSON.stringify(reply.data)).toBe(200);
        return reply.data.data.map((r: { id: string }) => r.id);
      };
      expect(await ids('cf.tier=silver')).toEqual([made.data.id]);
      expect(await ids('cf.seats=5')).toEqual([other.data.id]);
      expect(await ids('cf.active=false')).toEqual([other.data.id]);
      expect(await ids('cf.regions=apac')).toEqual([made.data.id]);
      expect(await ids('cf.renewal=2027-01-31&cf.code=A1')).toEqual([made.data.id]);
      expect(await ids('cf.code=zzz')).toEqual([]);
      expectError(await api.call('GET', `${path}?cf.ghost=1`, { token }), 400, 'validation_failed');
      expectError(await api.call('GET', `${path}?cf.seats=many`, { token }), 400, 'validation_failed');
      expectError(await api.call('GET', `${path}?cf.active=maybe`, { token }), 400, 'validation_failed');

      // Values exist, so the key and type are frozen; deleting the definition drops the values too.
      const fields = (await api.call('GET', `/api/v1/custom-fields?entity=${entity}`, { token })).data.data;
      const seats = fields.find((f: { key: string }) => f.key === 'seats');
      expectError(
        await api.call('PATCH', `/api/v1/custom-fields/${seats.id}`, { token, body: { type: 'text' } }),
        409,
        'custom_field_in_use',
      );
      expectError(
        await api.call('PATCH', `/api/v1/custom-fields/${seats.id}`, { token, body: { key: 'seat_count' } }),
        409,
        'custom_field_in_use',
      );
      expect((await api.call('DELETE', `/api/v1/custom-fields/${seats.id}`, { token })).status).toBe(204);
      const after = await api.call('GET', `${path}/${made.data.id}`, { token });
      expect(after.data.customFields).not.toHaveProperty('seats');
      expect(after.data.version).toBe(patched.data.version + 1);
      // With no values left the key may change.
      const note = fields.find((f: { key: string }) => f.key === 'note');
      const renamed = await api.call('PATCH', `/api/v1/custom-fields/${note.id}`, {
        token,
        body: { key: 'memo', type: 'number' },
      });
      expect(renamed.status, JSON.stringify(renamed.data)).toBe(200);
    });
  }

  it("keeps a sales rep's filtered list to the records they own", async () => {
    const admin = await api.signup('cf-rep');
    const rep = await api.member(admin.token, 'sales_rep');
    await define(admin.token, { entity: 'lead', key: 'hot', label: 'Hot', type: 'boolean' });
    const body = { firstName: 'Hot', customFields: { hot: true } };
    const mine = await api.call('POST', '/api/v1/leads', { token: rep.token, body });
    const theirs = await api.call('POST', '/api/v1/leads', { token: admin.token, body });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    const seen = await api.call('GET', '/api/v1/leads?cf.hot=true', { token: rep.token });
    expect(seen.data.data.map((l: { id: string }) => l.id)).toEqual([mine.data.id]);
    const all = await api.call('GET', '/api/v1/leads?cf.hot=true', { token: admin.token });
    expect(all.data.data.map((l: { id: string }) => l.id)).toEqual([theirs.data.id, mine.data.id]);
  });

  it("never applies another organization's definitions", async () => {
    const a = await api.signup('cf-a');
    const b = await api.signup('cf-b');
    const field = await define(a.token, {
      entity: 'lead',
      key: 'secret',
      label: 'Secret',
      type: 'text',
      required: true,
    });
    const made = await api.call('POST', '/api/v1/leads', { token: b.token, body: { firstName: 'Bo' } });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data.customFields).toEqual({});
    expectError(
      await api.call('POST', '/api/v1/leads', {
        token: b.token,
        body: { firstName: 'Bo', customFields: { secret: 'x' } },
      }),
      400,
      'validation_failed',
    );
    expectError(await api.call('GET', '/api/v1/leads?cf.secret=x', { token: b.token }), 400, 'validation_failed');
    expect((await api.call('GET', '/api/v1/custom-fields', { token: b.token })).data.data).toEqual([]);
    expectError(
      await api.call('PATCH', `/api/v1/custom-fields/${field.id}`, { token: b.token, body: { label: 'Mine' } }),
      404,
    );
    expectError(await api.call('DELETE', `/api/v1/custom-fields/${field.id}`, { token: b.token }), 404);
  });
});
