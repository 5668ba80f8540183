import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { notificationsOf } from './testing.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;

beforeAll(async () => {
  // The whole path: writes → outbox → relay → bus → the scheduler's consumer group → notify().
  stack = await startTestStack({ regions: ['us'], workers: 'relay,scheduler', edge: { cacheTtlSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('scheduler-bus', { region: 'us' });
});
afterAll(() => stack?.stop());

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, seconds: number): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('the scheduler on the bus', () => {
  it('tells a watcher of a teammate’s change, and not of their own', { timeout: 300_000 }, async () => {
    const manager = await api.member(admin.token, 'manager');
    const made = await api.call('POST', '/api/v1/leads', { token: admin.token, body: { firstName: 'Bussed' } });
    expect(made.status).toBe(201);
    const leadId = made.data.id as string;
    expect(
      (
        await api.call('POST', '/api/v1/watches', {
          token: admin.token,
          body: { targetType: 'lead', targetId: leadId },
        })
      ).status,
    ).toBe(201);
    const own = await api.call('PATCH', `/api/v1/leads/${leadId}`, {
      token: admin.token,
      body: { title: 'Own change' },
    });
    expect(own.status).toBe(200);
    const theirs = await api.call('PATCH', `/api/v1/leads/${leadId}`, {
      token: manager.token,
      body: { title: 'Theirs' },
    });
    expect(theirs.status).toBe(200);
    // Events of one organization arrive in order: once the manager's change is told, the admin's own was seen.
    // (A new consumer group starts at the beginning of the retained log, which on a shared database takes a while.)
    const told = await until(
      () => notificationsOf(stack, admin, admin.user.id, 'record_changed'),
      (rows) => rows.length > 0,
      240,
    );
    expect(told.map((n) => n.title)).toEqual(['Bussed was updated']);
  });
});
