import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

/**
 * The sessions page and the admin's "sign out everywhere" as the edge serves them, without a browser: CSRF form
 * posts through the API, and what they end stops working.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
}, 300_000);
afterAll(() => stack?.stop());

const csrf = 'c'.repeat(64);
const sessionOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid as string;

function browserFor(token: string) {
  const cookie = `crm_at=${token}; crm_csrf=${csrf}`;
  return {
    get: async (path: string) => {
      const r = await fetch(stack.edgeUrl + path, { headers: { cookie }, redirect: 'manual' });
      return { status: r.status, html: await r.text(), location: r.headers.get('location') };
    },
    post: async (path: string, fields: Record<string, string>, token = csrf) => {
      const r = await fetch(stack.edgeUrl + path, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, _csrf: token }).toString(),
        redirect: 'manual',
      });
      return { status: r.status, html: await r.text(), location: r.headers.get('location') };
    },
  };
}

async function signIn(email: string, password: string, userAgent: string) {
  const reply = await api.call('POST', '/api/v1/auth/login', {
    body: { email, password },
    headers: { 'user-agent': userAgent },
  });
  expect(reply.status).toBe(200);
  return reply.data.accessToken as string;
}

async function refusedSoon(token: string) {
  for (let i = 0; i < 30; i++) {
    if ((await api.call('GET', '/api/v1/me/sessions', { token })).status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the session still works');
}

describe('/settings/sessions', () => {
  it('lists the sessions, marks this one, and signs out another with a CSRF form post', async () => {
    const admin = await api.signup('sessions-page', { region: 'us' });
    const phone = await signIn(
      admin.user.email,
      admin.password,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1',
    );
    const page = browserFor(admin.token);
    const shown = await page.get('/settings/sessions');
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('This session');
    expect(shown.html).toContain('Safari on iOS');
    expect(shown.html).toContain(`value="${sessionOf(phone)}"`);
    expect(shown.html).not.toContain(`name="sessionId" value="${sessionOf(admin.token)}"`);
    expect(shown.html).toContain('href="/settings/sessions" aria-current="page"');

    const forged = await page.post(
      '/settings/sessions',
      { intent: 'one', sessionId: sessionOf(phone) },
      'f'.repeat(64),
    );
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect((await api.call('GET', '/api/v1/me/sessions', { token: phone })).status).toBe(200);

    const ended = await page.post('/settings/sessions', { intent: 'one', sessionId: sessionOf(phone) });
    expect(ended.status).toBe(303);
    expect(ended.location).toBe('/settings/sessions?signed-out=one');
    await refusedSoon(phone);
    const after = await page.get(ended.location!);
    expect(after.html).toContain('The session was signed out');
    expect(after.html).not.toContain(`value="${sessionOf(phone)}"`);

    const other = await signIn(admin.user.email, admin.password, 'Other/1');
    const all = await page.post('/settings/sessions', { intent: 'others' });
    expect(all.location).toBe('/settings/sessions?signed-out=others');
    await refusedSoon(other);
    expect((await page.get('/settings/sessions')).status).toBe(200);
  });

  it('gives admins a "sign out everywhere" button per user on /settings/users', async () => {
    const admin = await api.signup('sessions-admin', { region: 'us' });
    const rep = await api.member(admin.token, 'sales_rep', 'sessions-rep');
    const page = browserFor(admin.token);
    const shown = await page.get('/settings/users');
    expect(shown.html).toContain('Sign out everywhere');
    const ended = await page.post('/settings/users', { intent: 'sessions', userId: rep.user.id });
    expect(ended.status).toBe(303);
    expect(ended.location).toBe('/settings/users?saved=signed-out');
    await refusedSoon(rep.token);
    expect((await page.get(ended.location!)).html).toContain('signed out everywhere');
    // A rep has no users page, and no way to sign anyone out through it.
    const repPage = browserFor(
      (await api.call('POST', '/api/v1/auth/login', { body: { email: rep.email, password: rep.password } })).data
        .accessToken,
    );
    const refused = await repPage.post('/settings/users', { intent: 'sessions', userId: admin.user.id });
    expect(refused.status).toBe(403);
    expect((await api.call('GET', '/api/v1/me/sessions', { token: admin.token })).status).toBe(200);
  });
});
