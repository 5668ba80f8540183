import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { createLivePrincipals } from '../auth/live-principal.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Signup = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Signup;
let foreign: Signup;

type Session = { id: string; createdAt: string; lastUsedAt: string; ip: string | null; userAgent: string | null };
type SignIn = { token: string; refreshToken: string };

const sessionOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid as string;

async function signIn(email: string, password: string, userAgent: string): Promise<SignIn> {
  const reply = await api.call('POST', '/api/v1/auth/login', {
    body: { email, password },
    headers: { 'user-agent': userAgent },
  });
  expect(reply.status, JSON.stringify(reply.data)).toBe(200);
  return { token: reply.data.accessToken, refreshToken: reply.data.refreshToken };
}

/** The live-principal window: a session's end binds its access tokens within a few seconds, on any process. */
async function refusedWithin(token: string, ms = 7_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const reply = await api.call('GET', '/api/v1/me/sessions', { token });
    if (reply.status === 401) return Date.now() - started;
    expect(reply.status).toBe(200);
    if (Date.now() - started > ms) throw new Error(`the token still worked after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('sessions', { region: 'us' });
  foreign = await api.signup('sessions-foreign', { region: 'us' });
}, 300_000);
afterAll(() => stack?.stop());

describe('sessions of the caller', () => {
  it('lists each sign-in once with where it was used from, marks the current one, and keeps its id across refreshes', async () => {
    const laptop = await signIn(admin.user.email, admin.password, 'Laptop Browser/1');
    const phone = await signIn(admin.user.email, admin.password, 'Phone Browser/2');
    const listed = await api.call<{ data: (Session & { current: boolean })[] }>('GET', '/api/v1/me/sessions', {
      token: laptop.token,
    });
    expect(listed.status, JSON.stringify(listed.data)).toBe(200);
    const byId = new Map(listed.data.data.map((s) => [s.id, s]));
    expect(byId.size).toBe(listed.data.data.length);
    for (const signedIn of [admin.token, laptop.token, phone.token]) expect(byId.has(sessionOf(signedIn))).toBe(true);
    expect(listed.data.data.filter((s) => s.current).map((s) => s.id)).toEqual([sessionOf(laptop.token)]);
    expect(byId.get(sessionOf(phone.token))).toMatchObject({ userAgent: 'Phone Browser/2', ip: expect.any(String) });

    const refreshed = await api.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: phone.refreshToken },
      headers: { 'user-agent': 'Phone Browser/3' },
    });
    expect(refreshed.status).toBe(200);
    expect(sessionOf(refreshed.data.accessToken)).toBe(sessionOf(phone.token));
    const after = await api.call<{ data: Session[] }>('GET', '/api/v1/me/sessions', { token: laptop.token });
    const phoneSession = after.data.data.find((s) => s.id === sessionOf(phone.token))!;
    expect(after.data.data).toHaveLength(listed.data.data.length);
    expect(phoneSession.userAgent).toBe('Phone Browser/3');
    expect(Date.parse(phoneSession.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(phoneSession.createdAt));
    expect(phoneSession.createdAt).toBe(byId.get(phoneSession.id)!.createdAt);
  });

  it('ends one session: its refresh token at once, its access tokens within the live-principal window', async () => {
    const keeper = await signIn(admin.user.email, admin.password, 'Keeper/1');
    const stolen = await signIn(admin.user.email, admin.password, 'Stolen/1');
    const ended = await api.call('DELETE', `/api/v1/me/sessions/${sessionOf(stolen.token)}`, {
      token: keeper.token,
      headers: { 'user-agent': 'Keeper/1' },
    });
    expect(ended.status, JSON.stringify(ended.data)).toBe(204);
    expect(await refusedWithin(stolen.token)).toBeLessThan(7_000);
    const refresh = await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: stolen.refreshToken } });
    expectError(refresh, 401, 'invalid_refresh_token');
    const listed = await api.call<{ data: Session[] }>('GET', '/api/v1/me/sessions', { token: keeper.token });
    expect(listed.data.data.map((s) => s.id)).not.toContain(sessionOf(stolen.token));
    // Ended already: nothing left to end.
    expectError(
      await api.call('DELETE', `/api/v1/me/sessions/${sessionOf(stolen.token)}`, { token: keeper.token }),
      404,
      'not_found',
    );
    const [row] = await stack.regions.us!.ctx.shards.withTenant(admin.organization.id, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, admin.organization.id), eq(auditLog.action, 'auth.session_revoked'))),
    );
    expect(row).toMatchObject({
      actorId: admin.user.id,
      targetId: admin.user.id,
      ip: expect.any(String),
      userAgent: 'Keeper/1',
    });
    expect(row?.changes).toEqual({ sessionId: sessionOf(stolen.token) });
  });

  it('binds on another process of the region within its re-read window, not only on the one that ended it', async () => {
    // Another process's view of who holds which session: it read this one as live a moment ago.
    const elsewhere = createLivePrincipals(stack.regions.us!.ctx.shards, 1_000);
    const keeper = await signIn(admin.user.email, admin.password, 'Keeper/2');
    const ending = await signIn(admin.user.email, admin.password, 'Ending/1');
    const principal = {
      type: 'user' as const,
      organizationId: admin.organization.id,
      region: 'us',
      userId: admin.user.id,
      role: 'admin' as const,
      sessionId: sessionOf(ending.token),
    };
    await expect(elsewhere.refresh(principal)).resolves.toMatchObject({ sessionId: principal.sessionId });
    const ended = await api.call('DELETE', `/api/v1/me/sessions/${principal.sessionId}`, { token: keeper.token });
    expect(ended.status).toBe(204);
    const endedAt = Date.now();
    for (;;) {
      const refused = await elsewhere.refresh(principal).then(
        () => false,
        (error: Error) => /session has ended/.test(error.message),
      );
      if (refused) break;
      // Its window is 1 s here (5 s in a region); a loaded machine gets some slack.
      expect(Date.now() - endedAt).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it("signs out everywhere else and keeps the caller's own session", async () => {
    const here = await signIn(admin.user.email, admin.password, 'Here/1');
    const elsewhere = await signIn(admin.user.email, admin.password, 'Elsewhere/1');
    const ended = await api.call('DELETE', '/api/v1/me/sessions', { token: here.token });
    expect(ended.status, JSON.stringify(ended.data)).toBe(200);
    expect(ended.data.revoked).toBeGreaterThanOrEqual(2);
    await refusedWithin(elsewhere.token);
    const listed = await api.call<{ data: (Session & { current: boolean })[] }>('GET', '/api/v1/me/sessions', {
      token: here.token,
    });
    expect(listed.data.data.map((s) => [s.id, s.current])).toEqual([[sessionOf(here.token), true]]);
    admin.token = here.token;
  });

  it("answers 404 for another user's or another organization's session, and 403 to an API key", async () => {
    const rep = await api.member(admin.token, 'sales_rep', 'session-rep');
    expectError(
      await api.call('DELETE', `/api/v1/me/sessions/${sessionOf(rep.token)}`, { token: admin.token }),
      404,
      'not_found',
    );
    expectError(
      await api.call('DELETE', `/api/v1/me/sessions/${sessionOf(admin.token)}`, { token: foreign.token }),
      404,
      'not_found',
    );
    expectError(await api.call('DELETE', '/api/v1/me/sessions/not-a-uuid', { token: admin.token }), 400);
    // Untouched by both attempts.
    expect((await api.call('GET', '/api/v1/me/sessions', { token: rep.token })).status).toBe(200);
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: api.unique('key'), scopes: ['users:read'] },
    });
    expect(key.status).toBe(201);
    expectError(await api.call('GET', '/api/v1/me/sessions', { token: key.data.key }), 403, 'forbidden');
  });
});

describe('DELETE /api/v1/users/{id}/sessions', () => {
  it('lets an admin sign a user out everywhere, audited with actor, IP and user agent', async () => {
    const rep = await api.member(admin.token, 'sales_rep', 'signed-out-rep');
    const repAgain = await signIn(rep.email, rep.password, 'Rep Phone/1');
    const refused = await api.call('DELETE', `/api/v1/users/${admin.user.id}/sessions`, { token: rep.token });
    expectError(refused, 403, 'forbidden');

    const ended = await api.call('DELETE', `/api/v1/users/${rep.user.id}/sessions`, {
      token: admin.token,
      headers: { 'user-agent': 'Admin Console/1' },
    });
    expect(ended.status, JSON.stringify(ended.data)).toBe(200);
    expect(ended.data).toEqual({ revoked: 2 });
    await refusedWithin(rep.token);
    await refusedWithin(repAgain.token);
    expectError(await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: repAgain.refreshToken } }), 401);
    // The user may sign in again: signed out, not disabled.
    const back = await signIn(rep.email, rep.password, 'Rep Laptop/1');
    expect((await api.call('GET', '/api/v1/me/sessions', { token: back.token })).status).toBe(200);

    const audit = await api.call('GET', `/api/v1/audit-log?action=auth.sessions_revoked&targetId=${rep.user.id}`, {
      token: admin.token,
    });
    expect(audit.status, JSON.stringify(audit.data)).toBe(200);
    expect(audit.data.data[0]).toMatchObject({
      actorType: 'user',
      actorId: admin.user.id,
      targetType: 'user',
      targetId: rep.user.id,
      ip: expect.any(String),
      userAgent: 'Admin Console/1',
      changes: { sessions: 2 },
    });
  });

  it("answers 404 for another organization's user", async () => {
    expectError(
      await api.call('DELETE', `/api/v1/users/${foreign.user.id}/sessions`, { token: admin.token }),
      404,
      'not_found',
    );
    expect((await api.call('GET', '/api/v1/me/sessions', { token: foreign.token })).status).toBe(200);
  });
});
