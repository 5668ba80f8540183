import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { expectAccessible, uniqueName } from './support.ts';

/**
 * The README's screenshots, taken by these tests: written to test-results/ on every run, and over
 * docs/screenshots/ only when asked (`SAVE_SCREENSHOTS=1 npm test -- test/browser/app`), so a test run leaves the
 * tree as it found it.
 */
async function readmeScreenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SAVE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results';
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/**
 * The web app's critical flows in Debian's Chromium against the app as `npm start` starts it: sign up, sign out and
 * in, create a lead, change its status in the table, convert it to a deal, move the deal across stages by dragging
 * and by keyboard, and a second organization that sees none of it. axe-core checks every page visited.
 */
const password = 'Corr3ct-Horse-Battery!';
const app = { url: inject('appUrl') };
let browser: Browser;
let first: { context: BrowserContext; page: Page; email: string };
let lead: { id: string; name: string };

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Keeps the page's last state as test-results/<name>.png if the test fails. */
function shootOnFailure(page: () => Page | undefined, name: string) {
  onTestFailed(async () => {
    const current = page();
    if (current) await screenshot(current, name).catch(() => undefined);
  });
}

async function signUp(page: Page, organization: string, email: string) {
  await page.goto(`${app.url}/signup`);
  await expectAccessible(page);
  await page.getByLabel('Organization').fill(organization);
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Where your data lives').selectOption('us');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(`${app.url}/`, { waitUntil: 'commit' });
}

describe('web app in a browser', { timeout: 240_000 }, () => {
  it('signs up, signs out, shows a wrong password next to the form, and signs in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // A loaded two-core machine answers slowly; the default 30 s is for an idle one.
    page.setDefaultTimeout(90_000);
    shootOnFailure(() => page, 'app-signup');
    const email = `${uniqueName('ada')}@example.com`;
    await signUp(page, 'Analytical Engines', email);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Welcome');
    expect(await page.getByText('New leads today').count()).toBe(1);
    await expectAccessible(page);
    // No token where a script could read it.
    expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/crm_(at|rt)=/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${app.url}/leads`);
    await page.waitForURL(/\/login\?next=%2Fleads$/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/email or password is wrong/i);
    await expectAccessible(page);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/leads`);
    first = { context, page, email };
  });

  it('creates a lead (an error shows next to its field first) and shows its score and reasons', async () => {
    const { page } = first;
    shootOnFailure(() => page, 'app-create-lead');
    await page.getByRole('link', { name: 'New lead' }).click();
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Create lead' }).click();
    await expect.poll(() => page.locator('#f-email-error').textContent()).toBeTruthy();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await page.getByLabel('Email').fill('grace@navy.example');
    await page.getByLabel('Company').fill('US Navy');
    await page.getByLabel('Job title').fill('Director');
    await page.getByLabel('Source').fill('referral');
    await page.getByRole('button', { name: 'Create lead' }).click();
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}\?created=1$/);
    lead = { id: /\/leads\/([0-9a-f-]{36})/.exec(page.url())![1]!, name: 'Grace Hopper' };
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Grace Hopper');
    expect(
      Number(
        await page
          .getByTestId('lead-score')
          .textContent()
          .then((t) => t?.split('/')[0]),
      ),
    ).toBeGreaterThan(0);
    expect(await page.getByRole('list', { name: 'Why this score' }).locator('li').count()).toBeGreaterThan(0);
    await expectAccessible(page);
  });

  it('lists the lead and changes its status in place, kept after a reload', async () => {
    const { page } = first;
    shootOnFailure(() => page, 'app-leads-table');
    for (const name of ['Alan Turing', 'Katherine Johnson']) {
      const [firstName, lastName] = name.split(' ');
      const created = await page.evaluate(
        async (body) => {
          const csrf = /(?:^|; )crm_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
          const r = await fetch('/api/v1/leads', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify(body),
          });
          return r.status;
        },
        { firstName, lastName, company: 'Bletchley', source: 'event' },
      );
      expect(created).toBe(201);
    }
    await page.goto(`${app.url}/leads`);
    const status = page.getByLabel('Status of Grace Hopper');
    await status.waitFor();
    // Hydrated: the island's script has run once the select reacts; wait for the island to be live.
    await page.waitForFunction(() => document.querySelector('crm-island[data-island="LeadsTable"]') !== null);
    await page.waitForLoadState('networkidle');
    const saved = page.waitForResponse(
      (r) => r.url().includes(`/api/v1/leads/${lead.id}`) && r.request().method() === 'PATCH',
    );
    await status.selectOption('contacted');
    expect((await saved).status()).toBe(200);
    await page.reload();
    expect(await page.getByLabel('Status of Grace Hopper').inputValue()).toBe('contacted');
    await page.getByRole('button', { name: /^Score/ }).click();
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);
    await expectAccessible(page);
    await readmeScreenshot(page, 'leads');
  });

  it('converts the lead to a deal and moves the deal across stages by dragging and by keyboard', async () => {
    const { page } = first;
    shootOnFailure(() => page, 'app-kanban');
    await page.goto(`${app.url}/leads/${lead.id}`);
    await page.getByLabel('Deal name').fill('Navy compilers');
    await page.getByLabel('Amount').fill('25000');
    await page.getByLabel('Currency').fill('EUR');
    await page.getByRole('button', { name: 'Convert lead' }).click();
    await page.waitForURL(/\/pipelines\?converted=1$/);
    await page.waitForLoadState('networkidle');
    await expectAccessible(page);
    const card = page.locator('[data-deal-id]', { hasText: 'Navy compilers' });
    const columns = page.locator('[data-stage-id]');
    const stageOf = () => card.evaluate((el) => el.closest('[data-stage-id]')?.getAttribute('data-stage-id'));
    const stageIds = await columns.evaluateAll((els) => els.map((el) => el.getAttribute('data-stage-id')));
    expect(await stageOf()).toBe(stageIds[0]);
    expect(await columns.first().getByTestId('column-total').textContent()).toContain('25,000');

    const moved = page.waitForResponse((r) => r.url().includes('/api/v1/deals/') && r.request().method() === 'PATCH');
    await card.dragTo(columns.nth(1));
    expect((await moved).status()).toBe(200);
    await expect.poll(stageOf).toBe(stageIds[1]);

    const movedAgain = page.waitForResponse(
      (r) => r.url().includes('/api/v1/deals/') && r.request().method() === 'PATCH',
    );
    const next = card.getByRole('button', { name: /^Move Navy compilers to / }).last();
    await next.focus();
    await page.keyboard.press('Enter');
    expect((await movedAgain).status()).toBe(200);
    await expect.poll(stageOf).toBe(stageIds[2]);

    await page.reload();
    expect(await stageOf()).toBe(stageIds[2]);
    await page.goto(`${app.url}/`);
    await expect.poll(() => page.getByText('Pipeline by stage').count()).toBe(1);
    await expectAccessible(page);
    await readmeScreenshot(page, 'dashboard');
  });

  it('shows a second organization, in another browser context, none of the first one’s data', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    // A loaded two-core machine answers slowly; the default 30 s is for an idle one.
    page.setDefaultTimeout(90_000);
    shootOnFailure(() => page, 'app-second-org');
    await signUp(page, 'Difference Engines', `${uniqueName('charles')}@example.com`);
    await page.goto(`${app.url}/leads`);
    expect(await page.getByText('No leads yet.').count()).toBe(1);
    expect(await page.getByText('Grace Hopper').count()).toBe(0);
    await expectAccessible(page);
    await page.goto(`${app.url}/leads/${lead.id}`);
    expect(await page.getByRole('alert').textContent()).toMatch(/not found/i);
    await page.goto(`${app.url}/pipelines`);
    expect(await page.locator('[data-deal-id]').count()).toBe(0);
    const search = await page.evaluate(async () => (await fetch('/api/v1/search?q=grace')).json());
    expect(search.data).toEqual([]);
    await context.close();
    await first.context.close();
  });
});
