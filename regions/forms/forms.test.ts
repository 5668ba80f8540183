import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formSubmissions, forms, leads, outbox } from '../../db/schema/index.ts';
import { cloudflareTurnstile } from '../../edge/forms/turnstile.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;
let other: Session;
let siteverify: Server;
const verified: URLSearchParams[] = [];

const SITE = 'https://www.customer.example';
const us = () => stack.regions.us!.ctx;

/** Cloudflare's siteverify as a test double: the token `good-token` passes, anything else fails. */
function startSiteverify(): Promise<string> {
  siteverify = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      verified.push(form);
      const ok = form.get('secret') === 'turnstile-secret' && form.get('response') === 'good-token';
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(ok ? { success: true } : { success: false, 'error-codes': ['invalid-input-response'] }));
    });
  });
  return new Promise((resolve) =>
    siteverify.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(siteverify.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  const verifyUrl = await startSiteverify();
  stack = await startTestStack({
    regions: ['us'],
    edge: {
      // Tests choose the caller's address, to show the per-IP limit apart from the per-form one.
      clientIp: (c) => c.req.header('x-test-ip') ?? '127.0.0.1',
      forms: {
        perIp: 5,
        perForm: 8,
        maxBodyBytes: 4096,
        turnstile: cloudflareTurnstile({ secret: 'turnstile-secret', url: `${verifyUrl}/siteverify` }),
      },
    },
  });
  api = apiClient(stack.edgeUrl);
  [admin, other] = await Promise.all([
    api.signup('forms', { region: 'us' }),
    api.signup('forms-other', { region: 'us' }),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((done) => siteverify?.close(done));
});

const contactForm = (extra: Record<string, unknown> = {}) => ({
  name: 'Contact us',
  fields: [
    { name: 'name', label: 'Your name', type: 'text', required: true, leadField: 'firstName' },
    { name: 'email', label: 'Work email', type: 'email', required: true, leadField: 'email' },
    { name: 'company', label: 'Company', type: 'text', leadField: 'company' },
    { name: 'size', label: 'Team size', type: 'select', options: ['1-10', '11-50', '51+'] },
  ],
  leadDefaults: { source: 'website', country: 'DE' },
  consentText: 'I agree to be contacted about your products.',
  consentRequired: true,
  successMessage: 'Thanks, we will be in touch.',
  allowedOrigins: [SITE],
  ...extra,
});

async function newForm(extra: Record<string, unknown> = {}) {
  const made = await api.call('POST', '/api/v1/forms', { token: admin.token, body: contactForm(extra) });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; publicId: string; embedSnippet: string; version: number };
}

const submit = (publicId: string, body: unknown, headers: Record<string, string> = {}) =>
  api.call('POST', `/forms/${publicId}/submissions`, { body, headers: { origin: SITE, ...headers } });

const leadsByEmail = (organizationId: string, email: string) =>
  us().shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.email, email))),
  );

describe('forms API', () => {
  it('lets admins create, read, change (If-Match) and delete forms; others read only', async () => {
    const form = await newForm();
    expect(form.publicId).toMatch(/^frm_us_[0-9a-f]{64}$/);
    expect(form.embedSnippet).toContain(`/forms/${form.publicId}.js`);
    const viewer = await api.member(admin.token, 'viewer');
    const read = await api.call('GET', `/api/v1/forms/${form.id}`, { token: viewer.token });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"v1"');
    expectError(
      await api.call('POST', '/api/v1/forms', { token: viewer.token, body: contactForm() }),
      403,
      'forbidden',
    );
    expect(
      (await api.call('GET', '/api/v1/forms', { token: admin.token })).data.data.map((f: { id: string }) => f.id),
    ).toContain(form.id);
    expectError(await api.call('GET', `/api/v1/forms/${form.id}`, { token: other.token }), 404);
    // Row-level security, not only the WHERE clause: another organization's scope sees none of its rows.
    const seen = await us().shards.withTenant(other.organization.id, (tx) => tx.select().from(forms));
    expect(seen.filter((f) => f.organizationId === admin.organization.id)).toEqual([]);
    const forced = await us().shards.withTenant(admin.organization.id, (tx) =>
      tx.execute(
        sql`SELECT relname FROM pg_class WHERE relname IN ('forms', 'form_submissions') AND relrowsecurity AND relforcerowsecurity`,
      ),
    );
    // The drivers answer { rows } (pg, PGlite) or the rows themselves.
    const rows = (forced as unknown as { rows?: unknown[] }).rows ?? (forced as unknown as unknown[]);
    expect(rows).toHaveLength(2);
    const changed = await api.call('PATCH', `/api/v1/forms/${form.id}`, {
      token: admin.token,
      body: { name: 'Demo request' },
      headers: { 'if-match': '"v1"' },
    });
    expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    expect(changed.data.version).toBe(2);
    expectError(
      await api.call('PATCH', `/api/v1/forms/${form.id}`, {
        token: admin.token,
        body: { name: 'Stale' },
        headers: { 'if-match': '"v1"' },
      }),
      412,
      'precondition_failed',
    );
    expect((await api.call('DELETE', `/api/v1/forms/${form.id}`, { token: admin.token })).status).toBe(204);
    expectError(await api.call('GET', `/forms/${form.publicId}.js`), 404, 'not_found');
  });

  it('refuses forms that cannot make a lead, wildcard or malformed origins and select fields without options', async () => {
    const bad = await api.call('POST', '/api/v1/forms', {
      token: admin.token,
      body: contactForm({
        fields: [{ name: 'note', label: 'Note', type: 'select' }],
        allowedOrigins: ['*', 'https://ok.example/path'],
      }),
    });
    expectError(bad, 400, 'validation_failed');
    const paths = (bad.data.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['fields', 'fields.0.options', 'allowedOrigins.0', 'allowedOrigins.1']),
    );
  });
});

describe('the public form routes at the edge', () => {
  it('serves the embed script cross-origin, and shows an edit at once', async () => {
    const form = await newForm();
    const script = await fetch(`${stack.edgeUrl}/forms/${form.publicId}.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const text = await script.text();
    expect(text).toContain('attachShadow');
    expect(text).toContain('Thanks, we will be in touch.');
    const patched = await api.call('PATCH', `/api/v1/forms/${form.id}`, {
      token: admin.token,
      body: { successMessage: 'Merci </script>!' },
    });
    expect(patched.status).toBe(200);
    const again = await (await fetch(`${stack.edgeUrl}/forms/${form.publicId}.js`)).text();
    expect(again).toContain('Merci \\u003c/script>!');
    expectError(await api.call('GET', '/forms/frm_us_nothing.js'), 404);
    expectError(await api.call('GET', `/forms/${form.publicId.replace('frm_us_', 'frm_zz_')}.js`), 404);
  });

  it('answers the preflight for allowed origins only, never with a wildcard', async () => {
    const form = await newForm();
    const path = `${stack.edgeUrl}/forms/${form.publicId}/submissions`;
    const allowed = await fetch(path, {
      method: 'OPTIONS',
      headers: {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    const refused = await fetch(path, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const posted = await submit(
      form.publicId,
      { name: 'Eve', email: 'eve@evil.example', consent: true },
      {
        origin: 'https://evil.example',
      },
    );
    expectError(posted, 403, 'origin_not_allowed');
    expect(posted.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('creates a scored lead in one transaction with the submission, its consent and form.submitted', async () => {
    const form = await newForm();
    const email = `${api.unique('visitor')}@example.com`;
    const reply = await submit(
      form.publicId,
      { name: 'Grace', email, company: 'Navy', size: '51+', consent: true, website: '', pageUrl: `${SITE}/contact` },
      { 'user-agent': 'forms-test' },
    );
    expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    expect(reply.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(reply.data).toMatchObject({ message: 'Thanks, we will be in touch.', redirectUrl: null });
    const [lead] = await leadsByEmail(admin.organization.id, email);
    expect(lead).toMatchObject({
      firstName: 'Grace',
      company: 'Navy',
      source: 'website',
      country: 'DE',
      ownerId: null,
    });
    expect(lead!.score).toBeGreaterThan(0);
    const orgId = admin.organization.id;
    const [submission] = await us().shards.withTenant(orgId, (tx) =>
      tx.select().from(formSubmissions).where(eq(formSubmissions.id, reply.data.submission.id)),
    );
    expect(submission).toMatchObject({
      leadId: lead!.id,
      consentGiven: true,
      consentText: 'I agree to be contacted about your products.',
      origin: SITE,
      pageUrl: `${SITE}/contact`,
      userAgent: 'forms-test',
      values: { name: 'Grace', email, company: 'Navy', size: '51+' },
    });
    expect(submission!.consentGivenAt).toBeInstanceOf(Date);
    const events = await us().shards.withTenant(orgId, (tx) =>
      tx.select().from(outbox).where(eq(outbox.organizationId, orgId)),
    );
    const submitted = events.find((e) => e.eventType === 'form.submitted' && e.aggregateId === submission!.id);
    expect(submitted?.payload).toMatchObject({ formId: form.id, leadId: lead!.id, consent: { given: true } });
    expect(events.some((e) => e.eventType === 'lead.created' && e.aggregateId === lead!.id)).toBe(true);
  });

  it('takes a urlencoded post as a plain HTML form sends it', async () => {
    const form = await newForm();
    const email = `${api.unique('plain')}@example.com`;
    const reply = await api.call('POST', `/forms/${form.publicId}/submissions`, {
      raw: new URLSearchParams({ name: 'Plain', email, consent: 'on' }).toString(),
      headers: { origin: SITE, 'content-type': 'application/x-www-form-urlencoded', 'x-test-ip': '10.0.0.2' },
    });
    expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    expect(await leadsByEmail(admin.organization.id, email)).toHaveLength(1);
  });

  it('names each field that needs another look, and the missing consent', async () => {
    const form = await newForm();
    const reply = await submit(
      form.publicId,
      { name: '', email: 'not-an-email', size: 'huge' },
      { 'x-test-ip': '10.0.0.3' },
    );
    expectError(reply, 400, 'validation_failed');
    expect(reply.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(reply.data.error.details).toEqual([
      { path: 'name', message: 'Required' },
      { path: 'email', message: 'Enter a valid email address' },
      { path: 'size', message: 'Choose one of the options' },
      { path: 'consent', message: 'Please give your consent' },
    ]);
  });

  it('pretends a filled honeypot succeeded and creates nothing', async () => {
    const form = await newForm();
    const email = `${api.unique('bot')}@example.com`;
    const reply = await submit(
      form.publicId,
      { name: 'Bot', email, consent: true, website: 'http://spam.example' },
      { 'x-test-ip': '10.0.0.4' },
    );
    expect(reply.status).toBe(201);
    expect(reply.data.message).toBe('Thanks, we will be in touch.');
    expect(await leadsByEmail(admin.organization.id, email)).toHaveLength(0);
  });

  it('refuses a body over the limit and a type it does not read', async () => {
    const form = await newForm();
    const big = await submit(
      form.publicId,
      { name: 'x'.repeat(5000), email: 'a@b.example' },
      { 'x-test-ip': '10.0.0.5' },
    );
    expectError(big, 413, 'payload_too_large');
    const text = await api.call('POST', `/forms/${form.publicId}/submissions`, {
      raw: 'hello',
      headers: { origin: SITE, 'content-type': 'text/plain', 'x-test-ip': '10.0.0.5' },
    });
    expectError(text, 415);
  });

  it('limits submissions per IP and per form', async () => {
    const form = await newForm();
    const one = (ip: string) => submit(form.publicId, { name: 'x', email: 'bad' }, { 'x-test-ip': ip });
    // The per-IP limit is 5 a minute: the sixth from one address is refused, with Retry-After.
    for (let i = 0; i < 5; i++) expect((await one('10.1.0.1')).status).toBe(400);
    const limited = await one('10.1.0.1');
    expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The per-form limit is 8 a minute, whatever the address: three more got through, the ninth is refused.
    for (let i = 0; i < 3; i++) expect((await one(`10.2.0.${i}`)).status).toBe(400);
    const formLimited = await one('10.3.0.1');
    expectError(formLimited, 429, 'rate_limited');
    expect(formLimited.headers.get('access-control-allow-origin')).toBe(SITE);
  });

  it('checks Turnstile through the siteverify adapter when the form asks for it', async () => {
    const form = await newForm({ turnstileSiteKey: '0x4AAAAAAA-test' });
    const email = `${api.unique('human')}@example.com`;
    const body = { name: 'Human', email, consent: true };
    expectError(await submit(form.publicId, body, { 'x-test-ip': '10.4.0.1' }), 403, 'turnstile_failed');
    expectError(
      await submit(form.publicId, { ...body, 'cf-turnstile-response': 'forged' }, { 'x-test-ip': '10.4.0.1' }),
      403,
      'turnstile_failed',
    );
    const passed = await submit(
      form.publicId,
      { ...body, 'cf-turnstile-response': 'good-token' },
      { 'x-test-ip': '10.4.0.1' },
    );
    expect(passed.status, JSON.stringify(passed.data)).toBe(201);
    const last = verified.at(-1)!;
    expect(Object.fromEntries(last)).toEqual({
      secret: 'turnstile-secret',
      response: 'good-token',
      remoteip: '10.4.0.1',
    });
    expect(await leadsByEmail(admin.organization.id, email)).toHaveLength(1);
  });
});
