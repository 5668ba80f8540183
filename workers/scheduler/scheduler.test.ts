import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskReminders } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { runDigests } from './digests.ts';
import { schedulerHandler } from './index.ts';
import { sendDueReminders } from './reminders.ts';
import { eventsOf, notificationsOf } from './testing.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let admin: Session;
let manager: Member;
let rep: Member;

const ctx = () => stack.regions.us!.ctx;
const deps = () => ({ jobs: ctx().jobs, log: ctx().log });
const MINUTE = 60_000;

beforeAll(async () => {
  // No workers: the handler is given the events the relay would publish, and the jobs are run by hand.
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('scheduler-admin', { region: 'us' });
  [manager, rep] = await Promise.all([api.member(admin.token, 'manager'), api.member(admin.token, 'sales_rep')]);
});
afterAll(() => stack?.stop());

const make = async (token: string, path: string, body: Record<string, unknown>) => {
  const made = await api.call('POST', path, { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.id as string;
};
const watch = async (token: string, targetType: string, targetId: string) => {
  const made = await api.call('POST', '/api/v1/watches', { token, body: { targetType, targetId } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
};
/** Hands the record's events to the scheduler, as the bus would (twice: a redelivery changes nothing). */
const deliver = async (ids: string[], type?: string) => {
  const handle = schedulerHandler(ctx().shards, ctx().jobs, 15);
  const events = await eventsOf(stack, admin, ids, type);
  await handle(events);
  expect(await handle(events)).toEqual([]);
};

describe('change notifications', () => {
  it('tell watchers of a change by someone else, never the member who made it', async () => {
    const leadId = await make(admin.token, '/api/v1/leads', { firstName: 'Watched', lastName: 'Lead' });
    await watch(admin.token, 'lead', leadId);
    await watch(manager.token, 'lead', leadId);
    const byManager = await api.call('PATCH', `/api/v1/leads/${leadId}`, {
      token: manager.token,
      body: { title: 'CTO' },
    });
    expect(byManager.status, JSON.stringify(byManager.data)).toBe(200);
    await deliver([leadId]);
    const toAdmin = await notificationsOf(stack, admin, admin.user.id, 'record_changed');
    expect(toAdmin).toHaveLength(1);
    expect(toAdmin[0]).toMatchObject({ title: 'Watched Lead was updated', linkType: 'lead', linkId: leadId });
    expect(await notificationsOf(stack, admin, manager.user.id, 'record_changed')).toHaveLength(0);

    // An activity logged on the lead by the admin tells the manager only.
    const noteId = await make(admin.token, '/api/v1/activities', { type: 'note', body: 'Called back', leadId });
    await deliver([noteId]);
    const toManager = await notificationsOf(stack, admin, manager.user.id, 'record_changed');
    expect(toManager.map((n) => n.title)).toEqual(['Watched Lead: new note']);
    expect(await notificationsOf(stack, admin, admin.user.id, 'record_changed')).toHaveLength(1);
  });

  it('tell the watchers of the one watched record among a batch of changes to several', async () => {
    const quiet = await make(manager.token, '/api/v1/leads', { firstName: 'Unwatched' });
    const watched = await make(manager.token, '/api/v1/leads', { firstName: 'Batched' });
    const alsoQuiet = await make(manager.token, '/api/v1/leads', { firstName: 'Unwatched too' });
    await watch(admin.token, 'lead', watched);
    const before = (await notificationsOf(stack, admin, admin.user.id, 'record_changed')).length;
    for (const id of [quiet, watched, alsoQuiet]) {
      const changed = await api.call('PATCH', `/api/v1/leads/${id}`, { token: manager.token, body: { title: 'VP' } });
      expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    }
    await deliver([quiet, watched, alsoQuiet], 'lead.updated');
    const told = (await notificationsOf(stack, admin, admin.user.id, 'record_changed')).slice(before);
    expect(told.map((n) => [n.title, n.linkId])).toEqual([['Batched was updated', watched]]);
  });

  it('stop when the watcher may no longer see the record', async () => {
    const leadId = await make(admin.token, '/api/v1/leads', { firstName: 'Moving', ownerId: rep.user.id });
    await watch(rep.token, 'lead', leadId);
    const moved = await api.call('PATCH', `/api/v1/leads/${leadId}`, {
      token: admin.token,
      body: { ownerId: manager.user.id },
    });
    expect(moved.status, JSON.stringify(moved.data)).toBe(200);
    await deliver([leadId]);
    expect(await notificationsOf(stack, admin, rep.user.id, 'record_changed')).toHaveLength(0);
  });
});

describe('task reminders', () => {
  it('follow the task, and go out once however many runs overlap', async () => {
    const dueAt = new Date(Date.now() + 60 * MINUTE).toISOString();
    const leadId = await make(rep.token, '/api/v1/leads', { firstName: 'Quoted' });
    const taskId = await make(rep.token, '/api/v1/activities', {
      type: 'task',
      subject: 'Send the quote',
      dueAt,
      leadId,
    });
    await deliver([taskId]);
    const reminder = () =>
      ctx().shards.withTenant(admin.organization.id, async (tx) => {
        const [row] = await tx
          .select()
          .from(taskReminders)
          .where(and(eq(taskReminders.organizationId, admin.organization.id), eq(taskReminders.activityId, taskId)));
        return row;
      });
    expect(await reminder()).toMatchObject({
      ownerId: rep.user.id,
      remindAt: new Date(Date.parse(dueAt) - 15 * MINUTE),
      remindedAt: null,
    });
    // Not yet due: nothing is sent.
    await sendDueReminders(ctx().shards, deps(), new Date(Date.now() + 30 * MINUTE));
    expect(await notificationsOf(stack, admin, rep.user.id, 'task_due')).toHaveLength(0);

    // Three overlapping runs at the reminder time: one sends it.
    const later = new Date(Date.now() + 50 * MINUTE);
    await Promise.all([1, 2, 3].map(() => sendDueReminders(ctx().shards, deps(), later)));
    const sent = await notificationsOf(stack, admin, rep.user.id, 'task_due');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ title: 'Task due: Send the quote', linkType: 'activity', linkId: taskId });
    expect((await reminder())?.remindedAt).not.toBeNull();

    // Completed tasks lose their reminder.
    const done = await api.call('PATCH', `/api/v1/activities/${taskId}`, { token: rep.token, body: { done: true } });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    await deliver([taskId]);
    expect(await reminder()).toBeUndefined();
  });
});

describe('saved-view digests', () => {
  it('tell the watcher once of the records newly in the view', async () => {
    const viewId = await make(manager.token, '/api/v1/saved-views', {
      name: 'Qualified leads',
      entity: 'lead',
      filters: { status: 'qualified' },
    });
    await watch(manager.token, 'saved_view', viewId);
    await make(admin.token, '/api/v1/leads', { firstName: 'Fits', lastName: 'View', status: 'qualified' });
    await make(admin.token, '/api/v1/leads', { firstName: 'Does not', status: 'new' });
    const first = await runDigests(ctx().shards, deps(), 'us', new Date(Date.now() + 1000));
    expect(first.sent).toBeGreaterThanOrEqual(1);
    const digests = async () =>
      (await notificationsOf(stack, admin, manager.user.id, 'record_changed'))
        .filter((n) => n.title.includes('Qualified leads'))
        .map((n) => [n.title, n.body]);
    expect(await digests()).toEqual([['1 new or changed in “Qualified leads”', 'Fits View']]);
    // The next run starts where this one ended: nothing new, nothing sent.
    await runDigests(ctx().shards, deps(), 'us', new Date(Date.now() + 2000));
    expect(await digests()).toHaveLength(1);
  });
});
