import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Api, newActivity, newLead, type Session, storedActivities } from './fixtures.ts';

let stack: TestStack;
let api: Api;
let org: Session;
let leadId: string;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  org = await api.signup('activities-owners');
  leadId = await newLead(api, org.token);
});
afterAll(() => stack?.stop());

const create = (body: Record<string, unknown>, token = org.token) =>
  api.call('POST', '/api/v1/activities', { token, body });
const patch = (id: string, body: Record<string, unknown>) =>
  api.call('PATCH', `/api/v1/activities/${id}`, { token: org.token, body });

describe('ownership', () => {
  it('belongs to its creator by default, to anyone active the caller names, or to nobody', async () => {
    const manager = await api.member(org.token, 'manager');
    const own = await newActivity(api, org.token, { type: 'call', subject: 'Mine', leadId });
    expect(own.ownerId).toBe(org.user.id);
    const theirs = await newActivity(api, org.token, {
      type: 'call',
      subject: 'Yours',
      leadId,
      ownerId: manager.user.id,
    });
    expect(theirs.ownerId).toBe(manager.user.id);
    const nobody = await newActivity(api, org.token, { type: 'call', subject: 'Nobody', leadId, ownerId: null });
    expect(nobody.ownerId).toBeNull();
    expectError(
      await create({ type: 'call', subject: 'X', leadId, ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }),
      400,
      'unknown_owner',
    );
    expectError(await patch(own.id, { ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }), 400, 'unknown_owner');
    expect((await patch(own.id, { ownerId: manager.user.id })).data.ownerId).toBe(manager.user.id);
  });
});

describe('Idempotency-Key on POST /api/v1/activities', () => {
  const keyed = (body: Record<string, unknown>, key: string, token = org.token) =>
    api.call('POST', '/api/v1/activities', { token, body, headers: { 'idempotency-key': key } });

  it('replays the first answer to a retry, refuses the key with another body, and makes one activity', async () => {
    const fresh = await api.signup('activities-idem');
    const lead = await newLead(api, fresh.token);
    const key = api.unique('key');
    const body = { type: 'task', subject: 'Once', leadId: lead };
    const first = await keyed(body, key, fresh.token);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await keyed({ leadId: lead, subject: 'Once', type: 'task' }, key, fresh.token);
    expect(again.status).toBe(201);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(`/api/v1/activities/${first.data.id}`);
    expectError(await keyed({ ...body, subject: 'Twice' }, key, fresh.token), 422, 'idempotency_key_reused');

    const racing = api.unique('key');
    const replies = await Promise.all(Array.from({ length: 4 }, () => keyed(body, racing, fresh.token)));
    expect(new Set(replies.map((r) => r.data.id)).size).toBe(1);
    expect((await storedActivities(stack, fresh)).length).toBe(2);
  });

  it('binds the key to the caller: a colleague reusing it is refused, never handed the first activity', async () => {
    const colleague = await api.member(org.token, 'manager');
    const key = api.unique('key');
    const body = { type: 'note', body: 'Shared key', leadId };
    expect((await keyed(body, key)).status).toBe(201);
    expectError(await keyed(body, key, colleague.token), 422, 'idempotency_key_reused');
  });

  it('keeps no key when the first attempt fails, so a corrected retry goes through', async () => {
    const key = api.unique('key');
    const unknownLead = '0193a5f4-0000-7000-8000-000000000000';
    expectError(await keyed({ type: 'task', subject: 'Retry', leadId: unknownLead }, key), 400, 'unknown_lead');
    const corrected = await keyed({ type: 'task', subject: 'Retry', leadId }, key);
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
  });
});
