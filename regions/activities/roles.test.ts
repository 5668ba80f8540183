import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Api, ids, insertRecord, newActivity, newLead, type Session, storedActivities } from './fixtures.ts';

type Member = { token: string; user: { id: string } };

let stack: TestStack;
let api: Api;
let admin: Session;
let manager: Member;
let rep: Member;
let colleague: Member;
let viewer: Member;
let companyId: string;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('activity-roles');
  [manager, rep, colleague, viewer] = await Promise.all([
    api.member(admin.token, 'manager'),
    api.member(admin.token, 'sales_rep', 'rep'),
    api.member(admin.token, 'sales_rep', 'colleague'),
    api.member(admin.token, 'viewer'),
  ]);
  companyId = await insertRecord(stack, admin, 'company');
});
afterAll(() => stack?.stop());

const call = (token: string, body: Record<string, unknown> = {}) =>
  newActivity(api, token, { type: 'call', subject: api.unique('call'), companyId, ...body });
const list = async (token: string, query = '') =>
  ids((await api.call('GET', `/api/v1/activities?limit=200${query}`, { token })).data.data);

describe('activities by role', () => {
  it('lets admins and managers create, list, read, change and delete anyone’s activities', async () => {
    for (const actor of [admin, manager]) {
      const own = await call(actor.token);
      const byRep = await call(rep.token);
      expect(await list(actor.token)).toEqual(expect.arrayContaining([own.id, byRep.id]));
      expect((await api.call('GET', `/api/v1/activities/${byRep.id}`, { token: actor.token })).status).toBe(200);
      const edited = await api.call('PATCH', `/api/v1/activities/${byRep.id}`, {
        token: actor.token,
        body: { outcome: 'voicemail' },
      });
      expect(edited.data).toMatchObject({ outcome: 'voicemail', version: 2 });
      for (const id of [own.id, byRep.id]) {
        expect((await api.call('DELETE', `/api/v1/activities/${id}`, { token: actor.token })).status).toBe(204);
      }
    }
  });

  it('shows a sales rep only the activities they own: others answer 404 and never list', async () => {
    const mine = await call(rep.token);
    expect(mine.ownerId).toBe(rep.user.id);
    const theirs = await call(colleague.token);
    const adminOwned = await call(admin.token);
    const assignedToMe = await call(admin.token, { ownerId: rep.user.id });
    const unowned = await call(admin.token, { ownerId: null });

    const seen = await list(rep.token);
    expect(seen).toEqual(expect.arrayContaining([mine.id, assignedToMe.id]));
    for (const hidden of [theirs, adminOwned, unowned]) {
      expect(seen).not.toContain(hidden.id);
      const path = `/api/v1/activities/${hidden.id}`;
      expectError(await api.call('GET', path, { token: rep.token }), 404, 'not_found');
      expectError(await api.call('PATCH', path, { token: rep.token, body: { subject: 'Mine now' } }), 404, 'not_found');
      expectError(await api.call('DELETE', path, { token: rep.token }), 404, 'not_found');
    }
    expect(await list(rep.token, `&ownerId=${colleague.user.id}`)).toEqual([]);
    expect(await list(rep.token, `&companyId=${companyId}`)).not.toContain(theirs.id);
    const reread = await api.call('GET', `/api/v1/activities/${theirs.id}`, { token: colleague.token });
    expect(reread.data).toEqual(theirs);
  });

  it('lets a sales rep change and delete their own, but give them to nobody else', async () => {
    const mine = await call(rep.token);
    const path = `/api/v1/activities/${mine.id}`;
    expect((await api.call('PATCH', path, { token: rep.token, body: { durationSeconds: 30 } })).status).toBe(200);
    for (const ownerId of [colleague.user.id, admin.user.id, null]) {
      expectError(await api.call('PATCH', path, { token: rep.token, body: { ownerId } }), 403, 'forbidden');
      expectError(
        await api.call('POST', '/api/v1/activities', {
          token: rep.token,
          body: { type: 'call', subject: 'For someone', companyId, ownerId },
        }),
        403,
        'forbidden',
      );
    }
    expect((await api.call('PATCH', path, { token: rep.token, body: { ownerId: rep.user.id } })).status).toBe(200);
    expect((await api.call('DELETE', path, { token: rep.token })).status).toBe(204);
  });

  it('hands an activity over when a manager reassigns it', async () => {
    const lead = await newLead(api, manager.token, { ownerId: rep.user.id });
    const task = await newActivity(api, manager.token, { type: 'task', subject: 'Follow up', leadId: lead });
    expect(task.ownerId).toBe(manager.user.id);
    expectError(await api.call('GET', `/api/v1/activities/${task.id}`, { token: rep.token }), 404, 'not_found');
    const assigned = await api.call('PATCH', `/api/v1/activities/${task.id}`, {
      token: manager.token,
      body: { ownerId: rep.user.id, dueAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(assigned.data.ownerId).toBe(rep.user.id);
    expect((await api.call('GET', `/api/v1/activities/${task.id}`, { token: rep.token })).status).toBe(200);
    const tasks = await api.call('GET', '/api/v1/me/tasks', { token: rep.token });
    expect(ids(tasks.data.data)).toContain(task.id);
    const done = await api.call('PATCH', `/api/v1/activities/${task.id}`, { token: rep.token, body: { done: true } });
    expect(done.data.done).toBe(true);
  });

  it('lets a viewer read every activity and write none', async () => {
    const byRep = await call(rep.token);
    const byAdmin = await call(admin.token);
    expect(await list(viewer.token)).toEqual(expect.arrayContaining([byRep.id, byAdmin.id]));
    expect((await api.call('GET', `/api/v1/activities/${byRep.id}`, { token: viewer.token })).status).toBe(200);
    const before = (await storedActivities(stack, admin)).length;
    expectError(
      await api.call('POST', '/api/v1/activities', {
        token: viewer.token,
        body: { type: 'note', body: 'Not allowed', companyId },
      }),
      403,
      'forbidden',
    );
    expectError(
      await api.call('PATCH', `/api/v1/activities/${byAdmin.id}`, { token: viewer.token, body: { subject: 'No' } }),
      403,
      'forbidden',
    );
    expectError(
      await api.call('DELETE', `/api/v1/activities/${byAdmin.id}`, { token: viewer.token }),
      403,
      'forbidden',
    );
    expect((await storedActivities(stack, admin)).length).toBe(before);
    // A viewer owns no tasks, but may ask.
    expect((await api.call('GET', '/api/v1/me/tasks', { token: viewer.token })).data).toEqual({
      data: [],
      nextCursor: null,
    });
  });

  it('holds API keys to their scopes', async () => {
    const keyOf = async (scopes: string[]) => {
      const made = await api.call('POST', '/api/v1/api-keys', {
        token: admin.token,
        body: { name: api.unique('key'), scopes },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
      return made.data.key as string;
    };
    const reader = await keyOf(['activities:read']);
    const writer = await keyOf(['activities:create', 'activities:update', 'companies:read']);
    const made = await newActivity(api, writer, { type: 'note', body: 'By key', companyId });
    expect(made.ownerId).toBeNull();
    expectError(await api.call('GET', `/api/v1/activities/${made.id}`, { token: writer }), 403, 'forbidden');
    expect((await api.call('GET', `/api/v1/activities/${made.id}`, { token: reader })).status).toBe(200);
    expectError(
      await api.call('POST', '/api/v1/activities', { token: reader, body: { type: 'note', body: 'X', companyId } }),
      403,
      'forbidden',
    );
    expect(
      (await api.call('PATCH', `/api/v1/activities/${made.id}`, { token: writer, body: { body: 'Edited' } })).status,
    ).toBe(200);
    expectError(await api.call('DELETE', `/api/v1/activities/${made.id}`, { token: writer }), 403, 'forbidden');
  });
});
