import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type CallOptions } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// The receiver of the webhook is never called here; its address only has to pass the URL check.
process.env.WEBHOOKS_ALLOW_PRIVATE = 'true';

const AGENT = 'Audit Coverage/1';
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

/** Every call from one recognisable user agent, so each audit row can be matched to it. */
const call = (method: string, path: string, options: CallOptions = {}) =>
  api.call(method, path, { ...options, headers: { 'user-agent': AGENT, ...options.headers } });

type Entry = {
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  changes: Record<string, unknown> | null;
};

async function entries(query: string): Promise<Entry[]> {
  const listed = await call('GET', `/api/v1/audit-log?${query}`, { token: admin.token });
  expect(listed.status, JSON.stringify(listed.data)).toBe(200);
  return listed.data.data;
}

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('audited', { region: 'us' });
}, 300_000);
afterAll(() => stack?.stop());

describe('security events in the audit log', () => {
  it('records each with actor, IP and user agent, readable by an admin through GET /api/v1/audit-log', async () => {
    const expected: { action: string; targetId: string | null; actorId: string | null; changes?: object }[] = [];
    const adminDid = (action: string, targetId: string | null, changes?: object) =>
      expected.push({ action, targetId, actorId: admin.user.id, ...(changes ? { changes } : {}) });

    // Sign-ins, failed and successful: the actor is not yet authenticated, the target is the account.
    const failed = await call('POST', '/api/v1/auth/login', {
      body: { email: admin.user.email, password: 'Wrong-Password-123!' },
    });
    expectError(failed, 401, 'invalid_credentials');
    const login = await call('POST', '/api/v1/auth/login', {
      body: { email: admin.user.email, password: admin.password },
    });
    expect(login.status, JSON.stringify(login.data)).toBe(200);

    // A role change.
    const rep = await api.member(admin.token, 'sales_rep', 'audited-rep');
    const promoted = await call('PATCH', `/api/v1/users/${rep.user.id}`, {
      token: admin.token,
      body: { role: 'manager' },
    });
    expect(promoted.status).toBe(200);
    adminDid('user.updated', rep.user.id, { role: ['sales_rep', 'manager'] });

    // An API key made and revoked.
    const key = await call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: api.unique('key'), scopes: ['leads:read'] },
    });
    expect(key.status).toBe(201);
    adminDid('api_key.created', key.data.apiKey.id);
    expect((await call('DELETE', `/api/v1/api-keys/${key.data.apiKey.id}`, { token: admin.token })).status).toBe(204);
    adminDid('api_key.revoked', key.data.apiKey.id);

    // A CSV export of a list, and a person's data exported and erased.
    const exported = await call('GET', '/api/v1/exports/leads.csv?status=new', { token: admin.token });
    expect(exported.status).toBe(200);
    adminDid('data.exported', null, { list: 'leads' });
    const newLead = async () => {
      const made = await call('POST', '/api/v1/leads', {
        token: admin.token,
        body: { firstName: 'Ada', lastName: 'Audited', email: `${api.unique('ada')}@example.com` },
      });
      expect(made.status).toBe(201);
      return made.data.id as string;
    };
    // Two people: an erasure blanks the origin of every earlier row about the erased one, its export's included.
    const exportedLead = await newLead();
    const erasedLead = await newLead();
    const personExport = await call('GET', `/api/v1/privacy/people/lead/${exportedLead}/export`, {
      token: admin.token,
    });
    expect(personExport.status).toBe(200);
    adminDid('privacy.exported', exportedLead);
    const erased = await call('POST', `/api/v1/privacy/people/lead/${erasedLead}/erase`, { token: admin.token });
    expect(erased.status, JSON.stringify(erased.data)).toBe(200);
    adminDid('privacy.erased', erasedLead);

    // A webhook's signing secret rotated.
    const hook = await call('POST', '/api/v1/webhooks', {
      token: admin.token,
      body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['lead.created'] },
    });
    expect(hook.status, JSON.stringify(hook.data)).toBe(201);
    const hookId = hook.data.subscription.id;
    expect((await call('POST', `/api/v1/webhooks/${hookId}/rotate-secret`, { token: admin.token })).status).toBe(200);
    adminDid('webhook.secret_rotated', hookId);

    // A user signed out everywhere.
    expect((await call('DELETE', `/api/v1/users/${rep.user.id}/sessions`, { token: admin.token })).status).toBe(200);
    adminDid('auth.sessions_revoked', rep.user.id);

    for (const want of expected) {
      const found = (await entries(`action=${want.action}`)).filter((e) => e.targetId === want.targetId);
      expect(found, want.action).toHaveLength(1);
      expect(found[0], want.action).toMatchObject({
        actorType: 'user',
        actorId: want.actorId,
        ip: expect.any(String),
        userAgent: AGENT,
        ...(want.changes ? { changes: want.changes } : {}),
      });
    }
    for (const action of ['auth.login_failed', 'auth.login']) {
      const found = (await entries(`action=${action}&targetId=${admin.user.id}`)).filter((e) => e.userAgent === AGENT);
      expect(found, action).toHaveLength(1);
      expect(found[0], action).toMatchObject({ targetType: 'user', ip: expect.any(String) });
    }
    // Secrets never reach the log.
    const everything = JSON.stringify(await entries('limit=100'));
    expect(everything).not.toContain(key.data.key);
    expect(everything).not.toContain(hook.data.secret);
    expect(everything).not.toContain(admin.password);
  });

  it('is not readable by a sales rep or a manager', async () => {
    for (const role of ['sales_rep', 'manager']) {
      const member = await api.member(admin.token, role, `no-audit-${role}`);
      expectError(await call('GET', '/api/v1/audit-log', { token: member.token }), 403, 'forbidden', role);
    }
  });
});
