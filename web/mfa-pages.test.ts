import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../test/support/api.ts';
import { startTestStack, type TestStack } from '../test/support/stack.ts';

/**
 * The MFA pages served by the edge, without a browser: the login form's second step ends in the same httpOnly
 * session cookies as a password-only sign-in, and a member who must enrol is taken to the security page first.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
}, 300_000);
afterAll(() => stack?.stop());

/** A tiny cookie jar: what a browser would keep from Set-Cookie and send back. */
function browser() {
  const jar = new Map<string, string>();
  const setCookies: string[] = [];
  async function go(path: string, form?: Record<string, string>) {
    const headers = new Headers();
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    if (form) headers.set('content-type', 'application/x-www-form-urlencoded');
    const body = form ? new URLSearchParams({ _csrf: jar.get('crm_csrf') ?? '', ...form }).toString() : undefined;
    const response = await fetch(stack.edgeUrl + path, {
      method: form ? 'POST' : 'GET',
      headers,
      body,
      redirect: 'manual',
    });
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

const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

async function enrolled() {
  const account = await api.signup('mfa-page');
  const started = await api.call('POST', '/api/v1/me/mfa/enrolment', { token: account.token });
  const secret = started.data.secret as string;
  const confirmed = await api.call('POST', '/api/v1/me/mfa/enrolment/confirm', {
    token: account.token,
    body: { code: await codeAt(secret) },
  });
  expect(confirmed.status).toBe(200);
  return { ...account, secret, recoveryCodes: confirmed.data.recoveryCodes as string[] };
}

describe('MFA pages', () => {
  it('asks for the code after the password, shows a wrong one beside its field, then sets the session cookies', async () => {
    const ada = await enrolled();
    const b = browser();
    await b.go('/login');
    const first = await b.go('/login', { email: ada.user.email, password: ada.password, next: '/leads' });
    expect(first.status).toBe(200);
    const step = await first.text();
    expect(step).toContain('Two-step sign-in');
    expect(step).toContain('<label for="f-code"');
    expect(b.jar.has('crm_at')).toBe(false);
    const mfaToken = hidden(step, 'mfaToken')!;
    expect(mfaToken).toMatch(/^mfa_us_/);

    const wrong = await b.go('/login', { mfaToken, method: 'code', intent: 'verify', code: '000000', next: '/leads' });
    expect(wrong.status).toBe(401);
    const again = await wrong.text();
    expect(again).toContain('aria-invalid="true"');
    expect(again).toMatch(/id="f-code-error"[^>]*>The code is wrong or was already used \(4 tries left\)/);

    const right = await b.go('/login', {
      mfaToken,
      method: 'code',
      intent: 'verify',
      code: await codeAt(ada.secret, 1),
      next: '/leads',
    });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/leads');
    const session = b.setCookies.filter((c) => /^crm_(at|rt)=/.test(c));
    expect(session).toHaveLength(2);
    for (const cookie of session) expect(cookie).toMatch(/HttpOnly/i);
    expect((await b.go('/leads')).status).toBe(200);
  });

  it('switches to a recovery code without JavaScript, and sends an expired challenge back to the password', async () => {
    const ada = await enrolled();
    const b = browser();
    await b.go('/login');
    const mfaToken = hidden(
      await (await b.go('/login', { email: ada.user.email, password: ada.password })).text(),
      'mfaToken',
    )!;
    const switched = await (await b.go('/login', { mfaToken, method: 'code', intent: 'use-recovery' })).text();
    expect(switched).toContain('<label for="f-recoveryCode"');
    expect(switched).not.toContain('<label for="f-code"');
    const signedIn = await b.go('/login', {
      mfaToken,
      method: 'recovery',
      intent: 'verify',
      recoveryCode: ada.recoveryCodes[0]!,
    });
    expect(signedIn.status).toBe(303);
    // The challenge was spent: posting it again goes back to the password form with the reason.
    const spent = await b.go('/login', { mfaToken, method: 'code', intent: 'verify', code: '123456' });
    expect(spent.status).toBe(401);
    const page = await spent.text();
    expect(page).toContain('This sign-in has expired');
    expect(page).toContain('<label for="f-password"');
  });

  it('takes a member who must enrol to the security page before any other, and lets them sign out', async () => {
    const admin = await api.signup('mfa-required-page');
    const patched = await api.call('PATCH', '/api/v1/organization/security', {
      token: admin.token,
      body: { mfaRequired: true },
    });
    expect(patched.status).toBe(200);
    const rep = await api.member(admin.token, 'sales_rep');
    const b = browser();
    await b.go('/login');
    const signedIn = await b.go('/login', { email: rep.email, password: rep.password });
    expect(signedIn.status).toBe(303);
    for (const path of ['/', '/leads', '/settings']) {
      const page = await b.go(path);
      expect(page.status, path).toBe(303);
      expect(page.headers.get('location'), path).toBe('/settings/security');
    }
    const security = await b.go('/settings/security');
    expect(security.status).toBe(200);
    const html = await security.text();
    expect(html).toContain('Your organization requires two-step sign-in');
    expect(html).toContain('Set up an authenticator app');
    const started = await b.go('/settings/security', { intent: 'start' });
    expect(started.status).toBe(200);
    const enrolment = await started.text();
    expect(enrolment).toContain('role="img" aria-label="QR code to scan with your authenticator app"');
    expect(enrolment).toMatch(/data-testid="mfa-secret">[A-Z2-7]{32}</);
    expect((await b.go('/logout', {})).status).toBe(303);
  });
});
