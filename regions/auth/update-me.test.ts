import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let admin: Session;
let other: Session;
let rep: Member;

const shards = () => stack.regions.us!.ctx.shards;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('profile', { region: 'us' });
  other = await api.signup('profile-other', { region: 'us' });
  rep = await api.member(admin.token, 'sales_rep', 'rep');
});
afterAll(() => stack?.stop());

describe('PATCH /api/v1/me', () => {
  it('starts from the defaults and shows them on GET /api/v1/me', async () => {
    const me = await api.call('GET', '/api/v1/me', { token: rep.token });
    expect(me.status).toBe(200);
    expect(me.data.user).toMatchObject({ timeZone: 'UTC', locale: 'en-US', dateFormat: 'YYYY-MM-DD' });
  });

  it('lets any member change their own name, time zone, locale and date format, audited with an event', async () => {
    const body = { name: 'Grace Hopper', timeZone: 'Asia/Tokyo', locale: 'ja-JP', dateFormat: 'DD.MM.YYYY' };
    const changed = await api.call('PATCH', '/api/v1/me', { token: rep.token, body });
    expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    expect(changed.data.user).toMatchObject({ id: rep.user.id, role: 'sales_rep', ...body });
    const me = await api.call('GET', '/api/v1/me', { token: rep.token });
    expect(me.data.user).toMatchObject(body);
    const users = await api.call('GET', '/api/v1/users', { token: admin.token });
    expect(users.data.data.find((u: { id: string }) => u.id === rep.user.id).name).toBe('Grace Hopper');

    const [audit, events] = await shards().withTenant(admin.organization.id, async (tx) => [
      await tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, rep.user.id), eq(auditLog.action, 'user.profile_updated'))),
      await tx.select().from(outbox).where(eq(outbox.aggregateId, rep.user.id)),
    ]);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(rep.user.id);
    expect(audit[0]!.changes).toMatchObject({ timeZone: ['UTC', 'Asia/Tokyo'], name: ['', 'Grace Hopper'] });
    expect(events.map((e) => e.eventType)).toContain('user.updated');
  });

  it('refuses a change of role, status, email or organization, and changes nothing', async () => {
    for (const body of [
      { role: 'admin' },
      { name: 'X', role: 'admin' },
      { status: 'disabled' },
      { email: 'new@example.com' },
      { organizationId: other.organization.id },
    ]) {
      expectError(
        await api.call('PATCH', '/api/v1/me', { token: rep.token, body }),
        400,
        undefined,
        JSON.stringify(body),
      );
    }
    const me = await api.call('GET', '/api/v1/me', { token: rep.token });
    expect(me.data).toMatchObject({ role: 'sales_rep', organization: { id: admin.organization.id } });
    expect(me.data.user.name).toBe('Grace Hopper');
    expect(me.data.permissions).not.toContain('users:manage');
  });

  it('names the field of invalid input', async () => {
    for (const [body, field] of [
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ locale: 'not a locale!' }, 'locale'],
      [{ dateFormat: 'YY/M/D' }, 'dateFormat'],
      [{ name: '' }, 'name'],
    ] as const) {
      const reply = await api.call('PATCH', '/api/v1/me', { token: rep.token, body });
      expectError(reply, 400);
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    expectError(await api.call('PATCH', '/api/v1/me', { token: rep.token, body: {} }), 400);
  });

  it('changes only the caller: another organization is untouched and API keys have no profile', async () => {
    await api.call('PATCH', '/api/v1/me', { token: admin.token, body: { timeZone: 'Europe/Berlin' } });
    const theirs = await api.call('GET', '/api/v1/me', { token: other.token });
    expect(theirs.data.user.timeZone).toBe('UTC');
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: 'k', scopes: ['leads:read'] },
    });
    expectError(
      await api.call('PATCH', '/api/v1/me', { token: key.data.key, body: { name: 'Robot' } }),
      403,
      'forbidden',
    );
    expectError(await api.call('PATCH', '/api/v1/me', { body: { name: 'Nobody' } }), 401);
  });
});
