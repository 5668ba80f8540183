import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../edge/node-fetch.ts';
import { apiClient } from '../test/support/api.ts';
import { startTestStack, type TestStack } from '../test/support/stack.ts';

/**
 * The import page uploads its CSV from the browser: multipart/form-data carried by the session cookies with the
 * CSRF header, not a Bearer token. The edge must stream that upload on to the region as it does a Bearer client's,
 * also when the session's access token has to be refreshed first, and refuse it without the CSRF header.
 */
let stack: TestStack;
beforeAll(async () => {
  // The edge as edge/node.ts runs it, with the fetch that streams request bodies.
  stack = await startTestStack({ regions: ['us'], edge: { fetch: nodeFetch } });
}, 300_000);
afterAll(() => stack?.stop());

type Jar = Map<string, string>;

async function go(jar: Jar, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
  const response = await fetch(stack.edgeUrl + path, { ...init, headers, redirect: 'manual' });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, ...value] = pair!.split('=');
    if (/max-age=0/i.test(line)) jar.delete(name!);
    else jar.set(name!, value.join('='));
  }
  return response;
}

const form = (jar: Jar, path: string, fields: Record<string, string>) =>
  go(jar, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: jar.get('crm_csrf')! }).toString(),
  });

/** A browser signed in through the login page as an invited member. */
async function loggedIn(email: string, password: string): Promise<Jar> {
  const jar: Jar = new Map();
  await go(jar, '/login');
  expect((await form(jar, '/login', { email, password })).status).toBe(303);
  return jar;
}

async function signedIn(): Promise<Jar> {
  const jar: Jar = new Map();
  await go(jar, '/signup');
  const id = `upl-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const signup = await form(jar, '/signup', {
    organization: `Org ${id}`,
    email: `${id}@example.com`,
    password: 'Corr3ct-Horse-Battery!',
    region: 'us',
  });
  expect(signup.status).toBe(303);
  return jar;
}

const csv = 'First name,Last name,E-mail,Company\nAda,Lovelace,ada@engines.example,Analytical Engines\n';

/** The form a browser's FormData makes: the file part with its name and type, and the entity. */
function uploadForm(text = csv, type = 'text/csv') {
  const form = new FormData();
  form.set('entity', 'lead');
  form.set('file', new Blob([text], { type }), 'leads.csv');
  return form;
}

describe('CSV upload from the browser session', () => {
  it('streams a cookie-carried multipart upload with the CSRF header to the region', async () => {
    const jar = await signedIn();
    const created = await go(jar, '/api/v1/imports', {
      method: 'POST',
      headers: { 'x-csrf-token': jar.get('crm_csrf')! },
      body: uploadForm(),
    });
    const body = (await created.json()) as Record<string, unknown>;
    expect(created.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({
      entity: 'lead',
      status: 'uploaded',
      filename: 'leads.csv',
      headers: ['First name', 'Last name', 'E-mail', 'Company'],
      totalRows: 1,
      mapping: { 'First name': 'firstName', 'Last name': 'lastName', 'E-mail': 'email', Company: 'company' },
    });
    const read = await go(jar, `/api/v1/imports/${body.id}`);
    expect(read.status).toBe(200);
  });

  it('refuses the upload without the CSRF header, and answers a wrong file in the error envelope', async () => {
    const jar = await signedIn();
    const forged = await go(jar, '/api/v1/imports', { method: 'POST', body: uploadForm() });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const image = await go(jar, '/api/v1/imports', {
      method: 'POST',
      headers: { 'x-csrf-token': jar.get('crm_csrf')! },
      body: uploadForm('\x89PNG', 'image/png'),
    });
    expect(image.status).toBe(415);
    expect(((await image.json()) as { error: { message: string } }).error.message).toMatch(/CSV/);
  });

  it('refreshes a spent access token first and still streams the whole upload', async () => {
    const jar = await signedIn();
    const refresh = jar.get('crm_rt');
    jar.delete('crm_at');
    const created = await go(jar, '/api/v1/imports', {
      method: 'POST',
      headers: { 'x-csrf-token': jar.get('crm_csrf')! },
      body: uploadForm(`${csv}Grace,Hopper,grace@navy.example,US Navy\n`),
    });
    const body = (await created.json()) as Record<string, unknown>;
    expect(created.status, JSON.stringify(body)).toBe(201);
    expect(body.totalRows).toBe(2);
    expect(jar.get('crm_rt')).not.toBe(refresh);
    expect(jar.get('crm_at')).toBeTruthy();
  });
});

async function upload(jar: Jar, filename: string): Promise<string> {
  const body = new FormData();
  body.set('entity', 'lead');
  body.set('file', new Blob([csv], { type: 'text/csv' }), filename);
  const created = await go(jar, '/api/v1/imports', {
    method: 'POST',
    headers: { 'x-csrf-token': jar.get('crm_csrf')! },
    body,
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

describe('import pages', () => {
  it('list the organization’s imports and open one; other organizations and roles without data:import see none', async () => {
    const admin = await signedIn();
    const filename = `trade-show-${Date.now()}.csv`;
    const id = await upload(admin, filename);

    const list = await go(admin, '/import');
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('data-island="ImportUpload"');
    expect(html).toContain(`href="/import/${id}"`);
    expect(html).toContain(filename);
    const detail = await go(admin, `/import/${id}`);
    expect(detail.status).toBe(200);
    const page = await detail.text();
    expect(page).toContain('data-island="ImportWizard"');
    expect(page).toContain('Map columns to fields');

    const other = await signedIn();
    const theirs = await (await go(other, '/import')).text();
    expect(theirs).not.toContain(filename);
    expect(theirs).toContain('No imports yet');
    const foreign = await go(other, `/import/${id}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain(filename);
    expect((await go(other, '/import/not-an-id')).status).toBe(404);

    const api = apiClient(stack.edgeUrl);
    const viewer = await api.member(admin.get('crm_at')!, 'viewer');
    const viewerJar = await loggedIn(viewer.email, viewer.password);
    const denied = await go(viewerJar, '/import');
    expect(denied.status).toBe(403);
    const deniedHtml = await denied.text();
    expect(deniedHtml).toContain('data:import permission');
    expect(deniedHtml).not.toContain(filename);
    expect(deniedHtml).not.toContain('data-island="ImportUpload"');
    const deniedDetail = await go(viewerJar, `/import/${id}`);
    expect(deniedDetail.status).toBe(403);
    expect(await deniedDetail.text()).not.toContain('data-island="ImportWizard"');

    const manager = await api.member(admin.get('crm_at')!, 'manager');
    const managerJar = await loggedIn(manager.email, manager.password);
    const managed = await go(managerJar, '/import');
    expect(managed.status).toBe(200);
    expect(await managed.text()).toContain(filename);
  });
});
