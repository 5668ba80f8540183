import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

/**
 * The contact and company pages as the edge serves them, without a browser: forms post through the API and show
 * its errors beside their fields, the edit form's If-Match turns a concurrent change into a clear message, and
 * another organization's (or another rep's) record is one "not found" page. The browser flow is
 * test/browser/app/contacts.test.ts.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
}, 300_000);
afterAll(() => stack?.stop());

const csrf = 'c'.repeat(64);

/** A browser signed in with the given access token: its session and CSRF cookies on every request. */
function browserFor(token: string) {
  const cookie = `crm_at=${token}; crm_csrf=${csrf}`;
  return {
    get: async (path: string) => {
      const r = await fetch(stack.edgeUrl + path, { headers: { cookie }, redirect: 'manual' });
      return { status: r.status, html: await r.text(), location: r.headers.get('location') };
    },
    post: async (path: string, fields: Record<string, string>) => {
      const r = await fetch(stack.edgeUrl + path, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
        redirect: 'manual',
      });
      return { status: r.status, html: await r.text(), location: r.headers.get('location') };
    },
  };
}

const idIn = (location: string | null, kind: string) =>
  new RegExp(`^/${kind}/([0-9a-f-]{36})\\?created=1$`).exec(location ?? '')?.[1];

describe('contact and company pages', () => {
  let admin: Awaited<ReturnType<typeof api.signup>>;
  let page: ReturnType<typeof browserFor>;
  let companyId: string;
  let contactId: string;

  beforeAll(async () => {
    admin = await api.signup('contact-pages');
    page = browserFor(admin.token);
  });

  it('creates a company from its form, the API error beside its field first', async () => {
    const empty = await page.post('/companies/new', { name: '', domain: 'not a domain' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('id="f-name-error"');
    const made = await page.post('/companies/new', {
      name: 'Analytical Engines Ltd',
      domain: 'https://www.analytical.example/about',
      industry: 'Computing',
      size: '51-200',
      city: 'London',
      country: 'GB',
      ownerId: '',
    });
    expect(made.status).toBe(303);
    companyId = idIn(made.location, 'companies')!;
    expect(companyId).toBeTruthy();
    const shown = await page.get(`/companies/${companyId}?created=1`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('analytical.example');
    expect(shown.html).toContain('London, GB');
  });

  it('creates a contact at that company; consent without a source is refused beside the field', async () => {
    const form = await page.get(`/contacts/new?companyId=${companyId}`);
    expect(form.html).toMatch(new RegExp(`<option[^>]*value="${companyId}"[^>]*selected`));
    const fields = {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@analytical.example',
      lifecycleStage: 'opportunity',
      companyId,
      ownerId: admin.user.id,
      tags: 'VIP',
      marketingEmailConsent: 'on',
    };
    const refused = await page.post('/contacts/new', fields);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('id="f-consentSource-error"');
    const made = await page.post('/contacts/new', { ...fields, consentSource: 'verbal' });
    expect(made.status).toBe(303);
    contactId = idIn(made.location, 'contacts')!;
    const view = await page.get(`/contacts/${contactId}`);
    expect(view.status).toBe(200);
    expect(view.html).toContain('Ada Lovelace');
    expect(view.html).toContain(`href="/companies/${companyId}"`);
    expect(view.html).toMatch(/Marketing email: agreed.* via verbal/);
    expect(view.html).toContain('Not converted from a lead.');
  });

  it('saves an edit with If-Match, and says so when someone else changed the contact first', async () => {
    const edit = {
      version: '1',
      consentBefore: 'true',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@analytical.example',
      title: 'Countess',
      lifecycleStage: 'customer',
      companyId,
      ownerId: admin.user.id,
      tags: 'vip',
      marketingEmailConsent: 'on',
    };
    const saved = await page.post(`/contacts/${contactId}`, edit);
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/contacts/${contactId}?saved=1`);
    const after = await page.get(`/contacts/${contactId}?saved=1`);
    expect(after.html).toContain('Countess');
    expect(after.html).toContain('Customer');
    expect(after.html).toMatch(/Marketing email: agreed/);
    const stale = await page.post(`/contacts/${contactId}`, { ...edit, title: 'Analyst' });
    expect(stale.status).toBe(412);
    expect(stale.html).toContain('changed by someone else');
    expect(stale.html).toContain('value="Analyst"');
  });

  it('lists the contact with filters and an export link, and on its company page', async () => {
    const list = await page.get('/contacts?lifecycleStage=customer');
    expect(list.html).toContain(`href="/contacts/${contactId}"`);
    expect(list.html).toContain('Analytical Engines Ltd');
    expect(list.html).toContain('href="/api/v1/exports/contacts.csv?lifecycleStage=customer"');
    const none = await page.get('/contacts?lifecycleStage=subscriber');
    expect(none.html).not.toContain(`href="/contacts/${contactId}"`);
    expect(none.html).toContain('No contacts match.');
    const companies = await page.get('/companies?q=analyt');
    expect(companies.html).toContain(`href="/companies/${companyId}"`);
    const company = await page.get(`/companies/${companyId}`);
    expect(company.html).toContain(`href="/contacts/${contactId}"`);
    const stale = await page.post(`/companies/${companyId}`, { version: '9', name: 'Renamed' });
    expect(stale.status).toBe(412);
    expect(stale.html).toContain('changed by someone else');
  });

  it('shows another organization, and a malformed id, a "not found" page', async () => {
    const other = browserFor((await api.signup('contact-pages-other')).token);
    for (const path of [`/contacts/${contactId}`, `/companies/${companyId}`, '/contacts/not-an-id']) {
      const answer = await other.get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.html).toMatch(/(Contact|Company) not found/);
    }
    expect((await other.get('/contacts')).html).not.toContain('Ada Lovelace');
    expect((await other.get('/companies')).html).not.toContain('Analytical Engines');
  });

  it('keeps a sales rep to their own contacts and shows a viewer no forms', async () => {
    const [rep, viewer] = await Promise.all([
      api.member(admin.token, 'sales_rep', 'rep'),
      api.member(admin.token, 'viewer'),
    ]);
    const repPage = browserFor(rep.token);
    expect((await repPage.get(`/contacts/${contactId}`)).status).toBe(404);
    const made = await repPage.post('/contacts/new', { firstName: 'Grace', lastName: 'Hopper', ownerId: rep.user.id });
    expect(made.status).toBe(303);
    const repList = await repPage.get('/contacts');
    expect(repList.html).toContain('Grace Hopper');
    expect(repList.html).not.toContain('Ada Lovelace');
    expect(repList.html).not.toContain('Export CSV');

    const viewerPage = browserFor(viewer.token);
    const view = await viewerPage.get(`/contacts/${contactId}`);
    expect(view.status).toBe(200);
    expect(view.html).not.toContain('Edit contact');
    expect((await viewerPage.get('/contacts')).html).not.toContain('New contact');
    expect((await viewerPage.get(`/companies/${companyId}`)).html).not.toContain('Edit company');
  });
});
