import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { expectAccessible, signUpInBrowser, visitSignedIn } from './support.ts';

/**
 * Reports and the live dashboard in Chromium against the shared app: leads and deals made through the API, the
 * reports page with its charts and tables over a changed date range, a report's CSV downloaded through its link,
 * the browser's time zone taken up by the page, and the dashboard's "new leads today" tile changing by itself when
 * a lead is created elsewhere.
 */
const password = 'Corr3ct-Horse-Battery!';
const app = { url: inject('appUrl') };
let browser: Browser;
let admin: { context: BrowserContext; page: Page; email: string };

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function shootOnFailure(page: () => Page | undefined, name: string) {
  onTestFailed(async () => {
    const current = page();
    if (current) await screenshot(current, name).catch(() => undefined);
  });
}

async function newPage(timezoneId = 'UTC') {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  return { context, page };
}

/** An API call from the page, as an island makes it: session cookies plus the CSRF header. */
async function call<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = /(?:^|; )crm_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const r = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, data: await r.json().catch(() => null) };
    },
    { method, path, body },
  );
}

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 180_000, interval: 250 });
const section = (page: Page, name: string) => page.locator(`section[data-report="${name}"]`);
/** A table row's cells, by the text of its row header. */
const row = (page: Page, report: string, header: string) =>
  section(page, report).locator('tbody tr', { has: page.getByRole('rowheader', { name: header, exact: true }) });

describe('reports and the live dashboard in a browser', { timeout: 600_000 }, () => {
  it('shows every report as a chart and a table, over a date range the user picks', async () => {
    const { context, page } = await newPage();
    shootOnFailure(() => page, 'reports-page');
    admin = { context, page, email: await signUpInBrowser(page, app.url, 'Report Works', password) };
    for (const [firstName, source] of [
      ['Grace', 'referral'],
      ['Alan', 'referral'],
      ['Edsger', 'web'],
    ]) {
      const made = await call(page, 'POST', '/api/v1/leads', { firstName, lastName: 'Seeded', source });
      expect(made.status).toBe(201);
    }
    type Pipelines = { data: { id: string; isDefault: boolean; stages: { id: string; name: string }[] }[] };
    const pipelines = await call<Pipelines>(page, 'GET', '/api/v1/pipelines');
    expect(pipelines.status).toBe(200);
    const proposal = pipelines.data.data[0]!.stages.find((s) => s.name === 'Proposal')!;
    const open = await call(page, 'POST', '/api/v1/deals', {
      name: 'Big one',
      amount: '5000.00',
      stageId: proposal.id,
    });
    expect(open.status).toBe(201);
    const won = await call<{ id: string }>(page, 'POST', '/api/v1/deals', { name: 'Done deal', amount: '1200.00' });
    expect((await call(page, 'POST', `/api/v1/deals/${won.data.id}/won`, {})).status).toBe(200);

    await visitSignedIn(page, `${app.url}/reports?range=7d`, admin.email, password);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Reports');
    for (const report of ['pipeline', 'funnel', 'win-rate', 'revenue', 'lead-sources', 'activity', 'leaderboard']) {
      await poll(() => section(page, report).locator('canvas').count()).toBeGreaterThan(0);
    }
    expect(await row(page, 'lead-sources', 'referral').locator('td').first().textContent()).toBe('2');
    expect(await row(page, 'lead-sources', 'web').locator('td').first().textContent()).toBe('1');
    expect(await row(page, 'funnel', 'Leads').locator('td').first().textContent()).toBe('3');
    expect(await row(page, 'pipeline', 'Proposal').locator('td').nth(2).textContent()).toBe('$5,000.00');
    expect(await row(page, 'win-rate', 'In the range').locator('td').first().textContent()).toBe('1');
    await expectAccessible(page);

    // A custom range years ago: nothing in it.
    await page.getByLabel('Date range').selectOption('custom');
    await page.getByLabel('From').fill('2020-01-01');
    await page.getByLabel('To').fill('2020-01-31');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/range=custom/);
    expect(page.url()).toContain('from=2020-01-01');
    await poll(() => page.getByRole('status').first().textContent()).toContain('2020-01-31');
    expect(await section(page, 'lead-sources').getByText('Nothing in this range.').count()).toBe(1);
    expect(await row(page, 'funnel', 'Leads').locator('td').first().textContent()).toBe('0');

    // This year again, through the presets.
    await page.getByLabel('Date range').selectOption('year');
    expect(await page.getByLabel('From').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/range=year/);
    await poll(() => row(page, 'lead-sources', 'referral').locator('td').first().textContent()).toBe('2');
    await expectAccessible(page);
    // For people reviewing the page: test-results/ is not committed.
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/reports.png', fullPage: true });
  });

  it("downloads a report's CSV through its link, on the session cookies", async () => {
    const { page } = admin;
    shootOnFailure(() => page, 'reports-csv');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV of Lead sources' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^lead-sources-\d{4}-01-01-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trim().split(/\r\n/);
    expect(lines[0]).toBe('source,leads,converted,conversion_rate');
    expect(lines).toContain('referral,2,0,0');
  });

  it("counts days in the browser's time zone", async () => {
    const tokyo = await newPage('Asia/Tokyo');
    const { page } = tokyo;
    shootOnFailure(() => page, 'reports-tz');
    const email = await signUpInBrowser(page, app.url, 'Tokyo Traders', password);
    await visitSignedIn(page, `${app.url}/reports`, email, password);
    await page.waitForURL(/tz=Asia%2FTokyo/);
    await poll(() => page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    await poll(() => page.getByRole('status').first().textContent()).toContain('Asia/Tokyo');
    await tokyo.context.close();
  });

  it('updates the "new leads today" tile live when a lead is created elsewhere', async () => {
    const { page, context } = admin;
    shootOnFailure(() => page, 'reports-dashboard');
    await visitSignedIn(page, `${app.url}/`, admin.email, password);
    const tile = page.locator('[data-tile="leads-today"] [data-value]');
    await poll(() => page.locator('[data-connection]').getAttribute('data-connection')).toBe('live');
    const before = Number(await tile.textContent());
    expect(before).toBe(3);
    await poll(() => page.locator('canvas').count()).toBeGreaterThan(0);
    await expectAccessible(page);

    // Another tab of the same user creates a lead; this page is not reloaded.
    const other = await context.newPage();
    await visitSignedIn(other, `${app.url}/leads`, admin.email, password);
    const made = await call(other, 'POST', '/api/v1/leads', { firstName: 'Barbara', lastName: 'Liskov' });
    expect(made.status).toBe(201);
    await poll(() => tile.textContent()).toBe(String(before + 1));
    expect(await page.locator('[data-connection]').getAttribute('data-connection')).toBe('live');
    await other.close();
    await context.close();
  });
});
