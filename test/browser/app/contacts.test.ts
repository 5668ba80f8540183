import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { expectAccessible, uniqueName } from './support.ts';

/**
 * Contacts and companies in Debian's Chromium against the shared app: create a company, a contact linked to it
 * (errors shown beside their fields first), open the 360° page, edit the contact, find it on the company page and
 * in the filtered list, and a second organization, at phone width, gets "not found" for the first one's records.
 * axe-core checks every page visited.
 */
const password = 'Corr3ct-Horse-Battery!';
const app = { url: inject('appUrl') };
let browser: Browser;
let first: { context: BrowserContext; page: Page };
const company = { id: '', name: 'Analytical Engines Ltd' };
let contactId = '';

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function shootOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, name).catch(() => undefined);
  });
}

async function signUp(context: BrowserContext, organization: string, name: string): Promise<Page> {
  const page = await context.newPage();
  // A loaded two-core machine answers slowly; the default 30 s is for an idle one.
  page.setDefaultTimeout(90_000);
  await page.goto(`${app.url}/signup`);
  await page.getByLabel('Organization').fill(organization);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Work email').fill(`${uniqueName('contacts')}@example.com`);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Where your data lives').selectOption('us');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(`${app.url}/`, { waitUntil: 'commit' });
  return page;
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

describe('contacts and companies in a browser', { timeout: 300_000 }, () => {
  it('creates a company, its error beside the field first', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signUp(context, 'Analytical Engines', 'Charles Babbage');
    first = { context, page };
    shootOnFailure(page, 'app-company-create');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Companies' }).click();
    await page.waitForURL(`${app.url}/companies`);
    expect(await page.getByText('No companies match.').count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'New company' }).click();
    await page.getByLabel('Domain').fill('not a domain');
    await page.getByRole('button', { name: 'Create company' }).click();
    await expect.poll(() => page.locator('#f-name-error').count()).toBe(1);
    expect(await page.locator('#f-name').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await page.locator('#f-name').fill(company.name);
    await page.getByLabel('Domain').fill('https://www.analytical.example/about');
    await page.getByLabel('Industry').fill('Computing');
    await page.getByLabel('Size (employees)').selectOption('51-200');
    await page.getByLabel('City').fill('London');
    await page.getByLabel('Country').fill('GB');
    await page.getByRole('button', { name: 'Create company' }).click();
    await page.waitForURL(/\/companies\/[0-9a-f-]{36}\?created=1$/);
    company.id = /\/companies\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await heading(page)).toBe(company.name);
    expect(await page.getByText('analytical.example', { exact: true }).count()).toBe(1);
    await expectAccessible(page);
  });

  it('creates a contact at the company from its page, and opens the 360° view', async () => {
    const { page } = first;
    shootOnFailure(page, 'app-contact-create');
    await page.getByRole('link', { name: 'Add contact' }).click();
    await page.waitForURL(/\/contacts\/new\?companyId=/);
    await page.waitForLoadState('networkidle');
    expect(await page.getByLabel('Company', { exact: true }).inputValue()).toBe(company.id);
    // The picker narrows by name through the API and keeps the chosen company.
    await page.getByLabel('Find company by name').fill('analyt');
    await expect.poll(() => page.getByText('1 company found').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByLabel('Company', { exact: true }).inputValue()).toBe(company.id);
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel('Email', { exact: true }).fill('ada@analytical.example');
    await page.getByLabel('Job title').fill('Mathematician');
    await page.getByLabel('Lifecycle stage').selectOption('opportunity');
    await page.getByLabel('Agreed to receive marketing email').check();
    await page.getByRole('button', { name: 'Create contact' }).click();
    // Consent without saying how it was given is refused, next to that field.
    await expect.poll(() => page.locator('#f-consentSource-error').count()).toBe(1);
    await expectAccessible(page);
    await page.getByLabel('How consent was given or withdrawn').fill('verbal');
    await page.getByRole('button', { name: 'Create contact' }).click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}\?created=1$/);
    contactId = /\/contacts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await heading(page)).toBe('Ada Lovelace');
    expect(await page.getByTestId('consent').textContent()).toMatch(/agreed on .* via verbal/);
    const person = page.getByRole('region', { name: 'Person' });
    expect(await person.getByRole('link', { name: company.name }).getAttribute('href')).toBe(
      `/companies/${company.id}`,
    );
    expect(await person.getByText('Opportunity').count()).toBe(1);
    expect(await page.getByText('No open deals.').count()).toBe(1);
    expect(await page.getByText('Not converted from a lead.').count()).toBe(1);
    expect(await page.locator('crm-island[data-island="LogActivity"]').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'contact-360');
  });

  it('edits the contact, and says so when someone else changed it first', async () => {
    const { page } = first;
    shootOnFailure(page, 'app-contact-edit');
    await page.goto(`${app.url}/contacts/${contactId}`);
    await page.getByText('Edit contact').click();
    await page.getByLabel('Job title').fill('Countess of Lovelace');
    await page.getByLabel('Lifecycle stage').selectOption('customer');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\?saved=1$/);
    const person = page.getByRole('region', { name: 'Person' });
    expect(await person.getByText('Countess of Lovelace').count()).toBe(1);
    expect(await person.getByText('Customer').count()).toBe(1);
    await expectAccessible(page);

    // Someone else saves first (here: the same session through the API); this form's If-Match is now stale.
    await page.getByText('Edit contact').click();
    const status = await page.evaluate(async (id) => {
      const csrf = /(?:^|; )crm_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const r = await fetch(`/api/v1/contacts/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ phone: '+44 20 7946 0958' }),
      });
      return r.status;
    }, contactId);
    expect(status).toBe(200);
    await page.getByLabel('Job title').fill('Analyst');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText(/changed by someone else/).count()).toBe(1);
    expect(await page.getByLabel('Job title').inputValue()).toBe('Analyst');
    await expectAccessible(page);
  });

  it('lists the contact with its company, filters it, and the company page lists it', async () => {
    const { page } = first;
    shootOnFailure(page, 'app-contacts-list');
    await page.goto(`${app.url}/contacts`);
    await page.getByLabel('Lifecycle stage').selectOption('customer');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/lifecycleStage=customer/);
    const row = page.locator(`[data-contact-id="${contactId}"]`);
    expect(await row.getByRole('link', { name: company.name }).count()).toBe(1);
    const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(exportHref).toBe('/api/v1/exports/contacts.csv?lifecycleStage=customer');
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), exportHref!);
    expect(csv).toContain('Lovelace');
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: /^Name/ }).click();
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);
    await expectAccessible(page);
    await page.getByLabel('Lifecycle stage').selectOption('subscriber');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/lifecycleStage=subscriber/);
    expect(await page.getByText('No contacts match.').count()).toBe(1);

    await row.waitFor({ state: 'detached' });
    await page.goto(`${app.url}/companies/${company.id}`);
    const contacts = page.getByRole('list', { name: `Contacts at ${company.name}` });
    expect(await contacts.getByRole('link', { name: 'Ada Lovelace' }).getAttribute('href')).toBe(
      `/contacts/${contactId}`,
    );
    await expectAccessible(page);
  });

  it('shows a second organization, at phone width, "not found" for the first one’s records', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await signUp(context, 'Difference Engines', 'Grace Hopper');
    shootOnFailure(page, 'app-contacts-second-org');
    await page.goto(`${app.url}/contacts/${contactId}`);
    expect(await heading(page)).toBe('Contact not found');
    expect(await page.getByText('Ada Lovelace').count()).toBe(0);
    await expectAccessible(page);
    await page.goto(`${app.url}/companies/${company.id}`);
    expect(await heading(page)).toBe('Company not found');
    await page.goto(`${app.url}/contacts`);
    expect(await page.getByText('No contacts match.').count()).toBe(1);
    // Nothing overflows sideways at phone width but the table's own scroller.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await context.close();
    await first.context.close();
  });
});
