import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NON_PAGE_POLICY } from '../../edge/middleware/security-headers.ts';
import { routes } from '../../web/manifest.gen.ts';
import { apiClient } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Every page of the web app and a sample of every other kind of answer the edge gives, checked for the headers of
 * edge/middleware/security-headers.ts and the page CSP of web/csp.ts: a fresh nonce per response on every script,
 * no inline script or handler, no framing; CORS only on the lead-capture forms; the CSRF token on cookie writes.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
const ids: Record<string, string> = {};
const SITE = 'https://www.customer.example';
const ELSEWHERE = 'https://attacker.example';

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('web-protections', { region: 'us' });
  const make = async (path: string, body: unknown) => {
    const made = await api.call('POST', path, { token: admin.token, body });
    expect(made.status, `${path} ${JSON.stringify(made.data)}`).toBe(201);
    return made.data.id as string;
  };
  ids.leads = await make('/api/v1/leads', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.example' });
  ids.companies = await make('/api/v1/companies', { name: api.unique('Analytical') });
  ids.contacts = await make('/api/v1/contacts', { firstName: 'Ada', companyId: ids.companies });
  ids.deals = await make('/api/v1/deals', { name: 'Engine', amount: '1200.00' });
  ids.import = crypto.randomUUID();
}, 300_000);
afterAll(() => stack?.stop());

/** A cookie jar: what a browser keeps from Set-Cookie and sends back. */
function browser() {
  const jar = new Map<string, string>();
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
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0/i.test(line)) jar.delete(name!);
      else jar.set(name!, value.join('='));
    }
    return response;
  }
  return { go, jar };
}

async function signedIn() {
  const b = browser();
  await b.go('/login');
  const answer = await b.go('/login', {
    method: 'POST',
    form: { email: admin.user.email, password: admin.password, next: '/', _csrf: b.jar.get('crm_csrf')! },
  });
  expect(answer.status).toBe(303);
  expect(b.jar.get('crm_at')).toBeTruthy();
  return b;
}

/** The headers every answer carries, whatever it is. */
function expectBaseHeaders(response: Response, label: string) {
  const headers = response.headers;
  expect(headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(headers.get('x-frame-options'), label).toBe('DENY');
  expect(headers.get('referrer-policy'), label).toBe('strict-origin-when-cross-origin');
  expect(headers.get('content-security-policy'), label).toContain("frame-ancestors 'none'");
  // Plain http here: HSTS is for https only.
  expect(headers.get('strict-transport-security'), label).toBeNull();
}

/** A page: its policy names a nonce, every script carries it and loads a file, nothing runs inline. */
function expectNoncedPage(response: Response, html: string, label: string): { nonce: string; scripts: number } {
  const policy = response.headers.get('content-security-policy') ?? '';
  const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(policy)?.[1];
  expect(nonce, `${label}: ${policy}`).toBeTruthy();
  expect(policy, label).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  for (const tag of scripts) {
    expect(tag, label).toContain(`nonce="${nonce}"`);
    expect(tag, `${label}: inline script`).toMatch(/\ssrc="/);
  }
  for (const tag of html.match(/<link\b[^>]*rel="modulepreload"[^>]*>/gi) ?? []) {
    expect(tag, label).toContain(`nonce="${nonce}"`);
  }
  expect(html, `${label}: inline event handler`).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
  expect(html, `${label}: javascript: URL`).not.toMatch(/(?:href|src|action)="\s*javascript:/i);
  return { nonce: nonce!, scripts: scripts.length };
}

const pathOf = (pattern: string) =>
  pattern.replace(/^\/(\w+)\/:id$/, (_whole, resource: string) => `/${resource}/${ids[resource]}`);

describe('every page', { timeout: 180_000 }, () => {
  it('is sent with the nonce policy, and every script on it carries the nonce', async () => {
    const b = await signedIn();
    let pagesWithScripts = 0;
    for (const { pattern, module } of routes) {
      if (!module.default) continue;
      const path = pathOf(pattern);
      const response = await b.go(path);
      const label = `GET ${path} (${response.status})`;
      expect(response.status, label).toBeLessThan(500);
      expectBaseHeaders(response, label);
      if (response.status >= 300 && response.status < 400) continue;
      expect(response.headers.get('content-type'), label).toMatch(/^text\/html/);
      const { scripts } = expectNoncedPage(response, await response.text(), label);
      if (scripts > 0) pagesWithScripts++;
    }
    // The dashboard, leads, pipelines, reports, import, contacts… load islands: the check above was not vacuous.
    expect(pagesWithScripts).toBeGreaterThanOrEqual(5);
  });

  it('gets a new nonce on every response', async () => {
    const b = await signedIn();
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await b.go('/leads');
      nonces.add(expectNoncedPage(response, await response.text(), '/leads').nonce);
    }
    expect(nonces.size).toBe(3);
  });

  it('covers the signed-out pages, redirects and the form-expired page too', async () => {
    const b = browser();
    for (const path of ['/login', '/signup', '/forgot-password', '/reset-password?token=x', '/accept-invite']) {
      const response = await b.go(path);
      expect(response.status, path).toBe(200);
      expectBaseHeaders(response, path);
      expect(expectNoncedPage(response, await response.text(), path).scripts, path).toBe(0);
    }
    const redirect = await b.go('/leads');
    expect(redirect.status).toBe(303);
    expectBaseHeaders(redirect, 'redirect');
    const expired = await b.go('/login', {
      method: 'POST',
      form: { email: 'a@b.example', password: 'x', _csrf: 'no' },
    });
    expect(expired.status).toBe(403);
    expectNoncedPage(expired, await expired.text(), 'form expired');
  });

  it('gives the API reference its own nonce policy, matching its scripts', async () => {
    const response = await fetch(`${stack.edgeUrl}/docs`);
    expect(response.status).toBe(200);
    expectBaseHeaders(response, '/docs');
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain('https://cdn.jsdelivr.net');
    const html = await response.text();
    const { scripts } = { scripts: html.match(/<script\b[^>]*>/gi) ?? [] };
    const nonce = /'nonce-([^']+)'/.exec(policy)![1];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  it('sends HSTS when the client came over https through a proxy', async () => {
    const response = await fetch(`${stack.edgeUrl}/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('every other answer', { timeout: 180_000 }, () => {
  it('carries the headers and a policy that loads nothing', async () => {
    const page = await (await fetch(`${stack.edgeUrl}/login`)).text();
    const stylesheet = /href="(\/static\/[^"]+\.css)"/.exec(page)![1]!;
    const answers: [string, Promise<Response>][] = [
      ['me', fetch(`${stack.edgeUrl}/api/v1/me`, { headers: { authorization: `Bearer ${admin.token}` } })],
      ['unauthenticated', fetch(`${stack.edgeUrl}/api/v1/leads`)],
      ['no route', fetch(`${stack.edgeUrl}/api/v1/nowhere`)],
      ['invalid body', fetch(`${stack.edgeUrl}/api/v1/auth/login`, { method: 'POST', body: '{' })],
      ['health', fetch(`${stack.edgeUrl}/health`)],
      ['openapi', fetch(`${stack.edgeUrl}/openapi.json`)],
      ['stylesheet', fetch(stack.edgeUrl + stylesheet)],
    ];
    for (const [label, pending] of answers) {
      const response = await pending;
      expectBaseHeaders(response, label);
      expect(response.headers.get('content-security-policy'), label).toBe(NON_PAGE_POLICY);
      expect(response.headers.get('cross-origin-resource-policy'), label).toBe('same-origin');
      expect(response.headers.get('access-control-allow-origin'), label).toBeNull();
    }
  });

  it('answers no other site with CORS: no preflight, no readable answer', async () => {
    const preflight = await fetch(`${stack.edgeUrl}/api/v1/leads`, {
      method: 'OPTIONS',
      headers: { origin: ELSEWHERE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const read = await fetch(`${stack.edgeUrl}/api/v1/me`, {
      headers: { origin: ELSEWHERE, authorization: `Bearer ${admin.token}` },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('cookie sessions on the API', { timeout: 180_000 }, () => {
  it('refuses a cookie-carried write without the CSRF token with 403, and takes it with the token', async () => {
    const b = await signedIn();
    const lead = { firstName: 'Csrf', lastName: 'Check', email: `${api.unique('csrf')}@example.com` };
    const headers = { 'content-type': 'application/json' };
    for (const token of [undefined, '0'.repeat(64), b.jar.get('crm_csrf')!.slice(1)]) {
      const forged = await b.go('/api/v1/leads', {
        method: 'POST',
        headers: token === undefined ? headers : { ...headers, 'x-csrf-token': token },
        body: JSON.stringify(lead),
      });
      expect(forged.status).toBe(403);
      expect((await forged.json()).error.code).toBe('csrf_failed');
    }
    for (const method of ['PATCH', 'DELETE']) {
      const forged = await b.go(`/api/v1/leads/${ids.leads}`, { method, headers, body: '{"title":"x"}' });
      expect(forged.status, method).toBe(403);
    }
    const made = await b.go('/api/v1/leads', {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': b.jar.get('crm_csrf')! },
      body: JSON.stringify(lead),
    });
    expect(made.status).toBe(201);
  });

  it('never lends the session to a request another site started', async () => {
    const b = await signedIn();
    expect((await b.go('/api/v1/me', { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    for (const site of ['cross-site', 'same-site']) {
      const reply = await b.go('/api/v1/me', { headers: { 'sec-fetch-site': site, origin: ELSEWHERE } });
      expect(reply.status, site).toBe(401);
    }
  });
});

describe('the lead-capture form endpoints, the one thing other sites may use', { timeout: 180_000 }, () => {
  it('let listed sites load the script and submit, and no one else; never framed, never sniffed', async () => {
    const made = await api.call('POST', '/api/v1/forms', {
      token: admin.token,
      body: {
        name: 'Contact us',
        fields: [
          { name: 'name', label: 'Your name', type: 'text', required: true, leadField: 'firstName' },
          { name: 'email', label: 'Work email', type: 'email', required: true, leadField: 'email' },
        ],
        consentRequired: false,
        successMessage: 'Thanks',
        allowedOrigins: [SITE],
      },
    });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    const { publicId } = made.data as { publicId: string };

    const script = await fetch(`${stack.edgeUrl}/forms/${publicId}.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expectBaseHeaders(script, 'embed script');
    expect(script.headers.get('content-security-policy')).toBe(NON_PAGE_POLICY);

    const submissions = `${stack.edgeUrl}/forms/${publicId}/submissions`;
    const preflight = (origin: string) =>
      fetch(submissions, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight(SITE);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-credentials')).not.toBe('true');
    expect(allowed.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const refused = await preflight(ELSEWHERE);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const submit = (origin: string) =>
      api.call('POST', `/forms/${publicId}/submissions`, {
        body: { name: 'Grace', email: `${api.unique('form')}@example.com` },
        headers: { origin },
      });
    const accepted = await submit(SITE);
    expect(accepted.status, JSON.stringify(accepted.data)).toBe(201);
    expect(accepted.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(accepted.headers.get('x-frame-options')).toBe('DENY');
    const foreign = await submit(ELSEWHERE);
    expectError(foreign, 403, 'origin_not_allowed');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
