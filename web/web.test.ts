import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../test/support/stack.ts';

/**
 * The web app served by the edge, without a browser: pages render on the server, sessions live in httpOnly cookies,
 * forms and cookie-carried API writes need the CSRF token, and Bearer clients are untouched.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
}, 300_000);
afterAll(() => stack?.stop());

/** A tiny cookie jar: what a browser would keep from Set-Cookie and send back. */
function browser() {
  const jar = new Map<string, string>();
  const setCookies: string[] = [];
  async function go(path: string, init: RequestInit & { form?: Record<string, string> } = {}) {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    let body = init.body;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(stack.edgeUrl + path, { ...init, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      setCookies.push(line);
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0/i.test(line)) jar.delete(name!);
      else jar.set(name!, value.join('='));
    }
    return response;
  }
  return { go, jar, setCookies };
}

const unique = () => `web-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe('web app', () => {
  it('renders the sign-in page without JavaScript and sends visitors there', async () => {
    const b = browser();
    const home = await b.go('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login?next=%2F');
    const login = await b.go('/login');
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain('<label for="f-email"');
    expect(html).not.toContain('<script');
    expect(b.jar.get('crm_csrf')).toMatch(/^[0-9a-f]{64}$/);
    const css = /href="(\/static\/app-[0-9a-f]+\.css)"/.exec(html)?.[1];
    const sheet = await fetch(stack.edgeUrl + css!);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('cache-control')).toContain('immutable');
  });

  it('signs up through the form into httpOnly cookies, and refuses a form without the CSRF token', async () => {
    const b = browser();
    await b.go('/signup');
    const id = unique();
    const form = {
      organization: `Org ${id}`,
      email: `${id}@example.com`,
      password: 'Corr3ct-Horse-Battery!',
      region: 'us',
    };
    const forged = await b.go('/signup', { method: 'POST', form: { ...form, _csrf: '0'.repeat(64) } });
    expect(forged.status).toBe(403);
    const signup = await b.go('/signup', { method: 'POST', form: { ...form, _csrf: b.jar.get('crm_csrf')! } });
    expect(signup.status).toBe(303);
    const session = b.setCookies.filter((c) => /^crm_(at|rt)=/.test(c));
    expect(session).toHaveLength(2);
    for (const cookie of session) {
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
    }
    const dashboard = await b.go('/');
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('New leads today');
  });

  it('lets the session cookie call the API, writes only with X-CSRF-Token; Bearer clients are unchanged', async () => {
    const b = browser();
    await b.go('/signup');
    const id = unique();
    await b.go('/signup', {
      method: 'POST',
      form: {
        organization: `Org ${id}`,
        email: `${id}@example.com`,
        password: 'Corr3ct-Horse-Battery!',
        _csrf: b.jar.get('crm_csrf')!,
      },
    });
    const me = await b.go('/api/v1/me');
    expect(me.status).toBe(200);
    const lead = JSON.stringify({ firstName: 'Grace', lastName: 'Hopper' });
    const json = { 'content-type': 'application/json' };
    const withoutToken = await b.go('/api/v1/leads', { method: 'POST', headers: json, body: lead });
    expect(withoutToken.status).toBe(403);
    expect(((await withoutToken.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const created = await b.go('/api/v1/leads', {
      method: 'POST',
      headers: { ...json, 'x-csrf-token': b.jar.get('crm_csrf')! },
      body: lead,
    });
    expect(created.status).toBe(201);
    const bearer = await fetch(`${stack.edgeUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${b.jar.get('crm_at')}` },
    });
    expect(bearer.status).toBe(200);
  });

  it('refreshes a spent access token from the refresh cookie, once, and signs out for good', async () => {
    const b = browser();
    await b.go('/signup');
    const id = unique();
    await b.go('/signup', {
      method: 'POST',
      form: {
        organization: `Org ${id}`,
        email: `${id}@example.com`,
        password: 'Corr3ct-Horse-Battery!',
        _csrf: b.jar.get('crm_csrf')!,
      },
    });
    const firstRefresh = b.jar.get('crm_rt');
    b.jar.delete('crm_at');
    const pages = await Promise.all([b.go('/leads'), b.go('/api/v1/me')]);
    expect(pages.map((p) => p.status)).toEqual([200, 200]);
    expect(b.jar.get('crm_rt')).not.toBe(firstRefresh);
    const out = await b.go('/logout', { method: 'POST', form: { _csrf: b.jar.get('crm_csrf')! } });
    expect(out.status).toBe(303);
    expect(b.jar.has('crm_at')).toBe(false);
    expect((await b.go('/leads')).status).toBe(303);
  });
});
