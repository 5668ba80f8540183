import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows.ts';
import { auditLog, emailMessages, notifications } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type NotifyInput, notify } from './notify.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;
let rep: Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let other: Session;

const us = () => stack.regions.us!.ctx;

beforeAll(async () => {
  // The relay publishes lead.assigned; the notify worker turns it into a notification.
  stack = await startTestStack({ regions: ['us'], workers: 'relay,notify' });
  api = apiClient(stack.edgeUrl);
  [admin, other] = await Promise.all([
    api.signup('notify-a', { region: 'us' }),
    api.signup('notify-b', { region: 'us' }),
  ]);
  rep = await api.member(admin.token, 'sales_rep', 'notify-rep');
});
afterAll(async () => {
  await stack?.stop();
});

/** Notifies a member the way dispatch, the scheduler or a workflow does: inside a write's transaction. */
const notifyNow = (input: Omit<NotifyInput, 'type'> & Partial<Pick<NotifyInput, 'type'>>) =>
  us().shards.withTenant(input.organizationId, (tx) => notify(tx, { jobs: us().jobs }, { type: 'workflow', ...input }));

const list = async (token: string, query = '') => {
  const reply = await api.call('GET', `/api/v1/notifications${query}`, { token });
  expect(reply.status, JSON.stringify(reply.data)).toBe(200);
  return reply.data as {
    data: { id: string; type: string; title: string; link: unknown; readAt: string | null }[];
    nextCursor: string | null;
    unreadCount: number;
  };
};

// On a shared real database a new consumer group first works through the other suites' events in the log.
const waitFor = async (check: () => Promise<boolean>, ms = 150_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('lead.assigned notifications (the notify worker)', () => {
  it('tells the new owner, and nobody when a member takes a lead themselves', async () => {
    const lead = async (lastName: string) => {
      const made = await api.call('POST', '/api/v1/leads', {
        token: admin.token,
        body: { firstName: 'Ada', lastName, company: 'Engines', email: `${api.unique('l')}@example.com` },
      });
      expect(made.status).toBe(201);
      return made.data as { id: string };
    };
    const mine = await lead('Self');
    const theirs = await lead('Handed');
    const self = await api.call('PATCH', `/api/v1/leads/${mine.id}`, {
      token: admin.token,
      body: { ownerId: admin.user.id },
    });
    expect(self.status).toBe(200);
    const handed = await api.call('PATCH', `/api/v1/leads/${theirs.id}`, {
      token: admin.token,
      body: { ownerId: rep.user.id },
    });
    expect(handed.status).toBe(200);
    await waitFor(async () => (await list(rep.token)).data.some((n) => n.type === 'lead_assigned'));
    const [notice] = (await list(rep.token)).data.filter((n) => n.type === 'lead_assigned');
    expect(notice).toMatchObject({
      title: 'Ada Handed (Engines) was assigned to you',
      link: { type: 'lead', id: theirs.id },
      readAt: null,
    });
    // Events of one organization are handled in order: the self-assignment came first and notified no one.
    expect((await list(admin.token)).data.filter((n) => n.type === 'lead_assigned')).toEqual([]);
    // Its email is queued by the default preferences (lead_assigned: in the app and by email).
    const emails = await us().shards.withTenant(admin.organization.id, (tx) =>
      tx.select().from(emailMessages).where(eq(emailMessages.userId, rep.user.id)),
    );
    expect(emails.map((e) => [e.kind, e.template, e.toAddress])).toEqual([['notification', 'notification', rep.email]]);
  }, 300_000);
});

describe('the notification list', () => {
  it('pages newest first, filters unread, and marks one or all read', async () => {
    const organizationId = admin.organization.id;
    for (const n of [1, 2, 3]) await notifyNow({ organizationId, userId: admin.user.id, title: `Step ${n}` });
    const first = await list(admin.token, '?limit=2');
    expect(first.data.map((n) => n.title)).toEqual(['Step 3', 'Step 2']);
    expect(first.unreadCount).toBe(3);
    const second = await list(admin.token, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.data.map((n) => n.title)).toEqual(['Step 1']);
    expect(second.nextCursor).toBeNull();

    const read = await api.call('POST', `/api/v1/notifications/${first.data[0]!.id}/read`, { token: admin.token });
    expect(read.status).toBe(200);
    expect(read.data.readAt).toEqual(expect.any(String));
    const again = await api.call('POST', `/api/v1/notifications/${first.data[0]!.id}/read`, { token: admin.token });
    expect(again.data.readAt).toBe(read.data.readAt);
    expect((await list(admin.token, '?unread=true')).data.map((n) => n.title)).toEqual(['Step 2', 'Step 1']);
    expect((await list(admin.token, '?unread=false')).data.map((n) => n.title)).toEqual(['Step 3']);

    const all = await api.call('POST', '/api/v1/notifications/read-all', { token: admin.token });
    expect(all.data).toEqual({ updated: 2 });
    expect((await list(admin.token)).unreadCount).toBe(0);
    expect((await api.call('GET', '/api/v1/notifications?unread=maybe', { token: admin.token })).status).toBe(400);
  });
});

describe('notification preferences', () => {
  it('starts from the defaults, changes only what is named (audited), and each channel obeys them', async () => {
    const member = await api.member(admin.token, 'viewer', 'notify-prefs');
    const defaults = await api.call('GET', '/api/v1/notifications/preferences', { token: member.token });
    expect(defaults.data.preferences.task_due).toEqual({ in_app: true, email: true, sms: false, push: false });
    expect(defaults.data.preferences.record_changed).toEqual({ in_app: true, email: false, sms: false, push: false });

    const changed = await api.call('PUT', '/api/v1/notifications/preferences', {
      token: member.token,
      body: { preferences: { task_due: { email: false, sms: true }, record_changed: { in_app: false } } },
    });
    expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    expect(changed.data.preferences.task_due).toEqual({ in_app: true, email: false, sms: true, push: false });
    expect(changed.data.preferences.lead_assigned).toEqual(defaults.data.preferences.lead_assigned);
    const audit = await us().shards.withTenant(admin.organization.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'notification_preferences.updated'), eq(auditLog.targetId, member.user.id))),
    );
    expect(audit[0]?.changes).toEqual({
      'task_due.email': [true, false],
      'task_due.sms': [false, true],
      'record_changed.in_app': [true, false],
    });

    const organizationId = admin.organization.id;
    const due = await notifyNow({ organizationId, userId: member.user.id, type: 'task_due', title: 'Call Ada' });
    expect(due.channels).toEqual(['in_app', 'sms']);
    const watched = await notifyNow({
      organizationId,
      userId: member.user.id,
      type: 'record_changed',
      title: 'Changed',
    });
    expect(watched).toEqual({ notificationId: null, channels: [] });
    expect((await list(member.token)).data.map((n) => n.title)).toEqual(['Call Ada']);

    for (const body of [
      { preferences: {} },
      { preferences: { task_due: { fax: true } } },
      { preferences: { nope: {} } },
    ]) {
      expect((await api.call('PUT', '/api/v1/notifications/preferences', { token: member.token, body })).status).toBe(
        400,
      );
    }
  });
});

describe('tenant isolation', () => {
  it("never shows or touches another member's or organization's notifications, and refuses API keys", async () => {
    const made = await notifyNow({ organizationId: admin.organization.id, userId: admin.user.id, title: 'Private' });
    expect((await list(other.token)).data).toEqual([]);
    expect((await list(rep.token)).data.some((n) => n.title === 'Private')).toBe(false);
    for (const token of [other.token, rep.token]) {
      const read = await api.call('POST', `/api/v1/notifications/${made.notificationId}/read`, { token });
      expect(read.status).toBe(404);
    }
    // A member of another organization named by id gets nothing: notify looks the member up in its own tenant.
    const foreign = await notifyNow({ organizationId: admin.organization.id, userId: other.user.id, title: 'Stray' });
    expect(foreign).toEqual({ notificationId: null, channels: [] });
    expect((await list(other.token)).data).toEqual([]);

    const key = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: api.unique('k'), scopes: ['leads:read'] },
    });
    const byKey = await api.call('GET', '/api/v1/notifications', { token: key.data.key });
    expect(byKey.status).toBe(403);
  });

  it('keeps every notification and email table under row-level security, forced', async () => {
    const tables = [
      'notifications',
      'notification_counters',
      'notification_preferences',
      'email_messages',
      'email_suppressions',
      'email_throttle',
    ];
    const flags = await us().shards.withTenant(admin.organization.id, (tx) =>
      rowsOf<{ relname: string; enabled: boolean; forced: boolean }>(
        tx,
        sql`SELECT relname, relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class
            WHERE relname IN (${sql.join(
              tables.map((t) => sql`${t}`),
              sql`, `,
            )}) AND relkind = 'r'`,
      ),
    );
    expect(flags.map((f) => f.relname).sort()).toEqual([...tables].sort());
    expect(flags.every((f) => f.enabled && f.forced)).toBe(true);
    // Scoped to B, not even a query naming A's organization sees A's rows.
    const seen = await us().shards.withTenant(other.organization.id, (tx) =>
      tx.select().from(notifications).where(eq(notifications.organizationId, admin.organization.id)),
    );
    expect(seen).toEqual([]);
  });
});
