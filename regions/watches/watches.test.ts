import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let admin: Session;
let rep: Member;
let other: Session;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  [admin, other] = await Promise.all([
    api.signup('watches-admin', { region: 'us' }),
    api.signup('watches-other', { region: 'us' }),
  ]);
  rep = await api.member(admin.token, 'sales_rep');
});
afterAll(() => stack?.stop());

const make = async (token: string, path: string, body: Record<string, unknown>) => {
  const made = await api.call('POST', path, { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.id as string;
};
const watch = (token: string, targetType: string, targetId: string) =>
  api.call('POST', '/api/v1/watches', { token, body: { targetType, targetId } });

describe('watches', () => {
  it('are created once, listed for their member only, deleted, and audited', async () => {
    const leadId = await make(admin.token, '/api/v1/leads', { firstName: 'Watch me' });
    const made = await watch(admin.token, 'lead', leadId);
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.headers.get('location')).toBe(`/api/v1/watches/${made.data.id}`);
    expect(made.data).toMatchObject({
      userId: admin.user.id,
      targetType: 'lead',
      targetId: leadId,
      lastDigestAt: null,
    });
    const again = await watch(admin.token, 'lead', leadId);
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(made.data.id);

    const viewId = await make(admin.token, '/api/v1/saved-views', { name: 'Mine', entity: 'deal' });
    const viewWatch = await watch(admin.token, 'saved_view', viewId);
    expect(viewWatch.status).toBe(201);
    expect(viewWatch.data.lastDigestAt).toEqual(expect.any(String));

    const mine = await api.call('GET', '/api/v1/watches?limit=1', { token: admin.token });
    expect(mine.status).toBe(200);
    expect(mine.data.data.map((w: { id: string }) => w.id)).toEqual([viewWatch.data.id]);
    const next = await api.call('GET', `/api/v1/watches?limit=1&cursor=${mine.data.nextCursor}`, {
      token: admin.token,
    });
    expect(next.data).toEqual({ data: [made.data], nextCursor: null });
    const leadsOnly = await api.call('GET', '/api/v1/watches?targetType=lead', { token: admin.token });
    expect(leadsOnly.data.data).toEqual([made.data]);
    expect((await api.call('GET', '/api/v1/watches', { token: rep.token })).data.data).toEqual([]);

    expectError(await api.call('DELETE', `/api/v1/watches/${made.data.id}`, { token: rep.token }), 404, 'not_found');
    expect((await api.call('DELETE', `/api/v1/watches/${made.data.id}`, { token: admin.token })).status).toBe(204);
    expectError(await api.call('DELETE', `/api/v1/watches/${made.data.id}`, { token: admin.token }), 404);

    const audit = await api.call('GET', '/api/v1/audit-log?action=watch.created', { token: admin.token });
    expect(audit.data.data.map((a: { targetId: string }) => a.targetId)).toContain(made.data.id);
    const deleted = await api.call('GET', '/api/v1/audit-log?action=watch.deleted', { token: admin.token });
    expect(deleted.data.data[0]).toMatchObject({ targetId: made.data.id });
  });

  it('are only of what the member may see', async () => {
    const notRepsLead = await make(admin.token, '/api/v1/leads', { firstName: 'Not the rep’s' });
    expectError(await watch(rep.token, 'lead', notRepsLead), 404, 'not_found');
    const repsLead = await make(rep.token, '/api/v1/leads', { firstName: 'The rep’s' });
    expect((await watch(rep.token, 'lead', repsLead)).status).toBe(201);
    // Companies are shared.
    const company = await make(admin.token, '/api/v1/companies', { name: 'Shared Co' });
    expect((await watch(rep.token, 'company', company)).status).toBe(201);
    // Another organization's record reads as missing.
    expectError(await watch(other.token, 'lead', repsLead), 404, 'not_found');
    // A private saved view of someone else is not found; a shared one can be watched.
    const privateView = await make(admin.token, '/api/v1/saved-views', { name: 'Private', entity: 'lead' });
    expectError(await watch(rep.token, 'saved_view', privateView), 404);
    const sharedView = await make(admin.token, '/api/v1/saved-views', { name: 'Team', entity: 'lead', shared: true });
    expect((await watch(rep.token, 'saved_view', sharedView)).status).toBe(201);
    expectError(await watch(rep.token, 'deal', crypto.randomUUID()), 404);
    expectError(await api.call('POST', '/api/v1/watches', { token: rep.token, body: { targetType: 'x' } }), 400);
  });
});
