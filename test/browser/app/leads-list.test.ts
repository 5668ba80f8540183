import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { realPostgres } from '../../support/databases.ts';
import { expectAccessible, uniqueName } from './support.ts';

/**
 * The leads list at full size in Chromium: 2,000 leads seeded through the batch API, server-side sort and filters
 * kept in the URL, a shared saved view saved, reopened and renamed, "select all matching" and a bulk assignment that
 * runs as a bulk job (more than 500 leads) with its progress shown, and scrolling to the end with a bounded DOM.
 */
const app = { url: inject('appUrl') };
const password = 'Corr3ct-Horse-Battery!';
const SEEDED = 2000;
// Seed i has status new/contacted/qualified by i % 3: 666 of 2,000 are qualified.
const QUALIFIED = 666;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let member: { id: string; name: string };

/** A fetch from the page, as the app's own scripts call the API (session cookies and the CSRF header). */
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; data: any }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = /(?:^|; )crm_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const r = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return {
        status: r.status,
        data: text && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
      };
    },
    { method, path, body },
  );
}

const seedLead = (i: number) => ({
  firstName: `Seed`,
  lastName: String(i).padStart(4, '0'),
  email: i % 3 === 0 ? `seed${i}@gmail.com` : `seed${i}@firm${i % 7}.example`,
  ...(i % 2 ? { title: 'Director' } : {}),
  ...(i % 5 ? { phone: '+44 20 7946 0958' } : {}),
  company: `Company ${i % 11}`,
  status: ['new', 'contacted', 'qualified'][i % 3],
  source: i % 2 ? 'referral' : 'web_form',
});

/** Signs up through the form, again if the busy machine's region timed out (the form then shows why). */
async function signUp() {
  const email = `${uniqueName('lists')}@example.com`;
  await page.goto(`${app.url}/signup`);
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.getByLabel('Organization').fill('Leads at scale');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Where your data lives').selectOption('us');
    const posted = page.waitForResponse((r) => r.url().endsWith('/signup') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create organization' }).click();
    if ((await posted).status() === 303) {
      await page.waitForURL(`${app.url}/`, { waitUntil: 'commit' });
      return;
    }
    await page.waitForLoadState('load');
    const alert = (await page.getByRole('alert').first().textContent()) ?? '';
    // A timed-out sign-up may still have been made: then the address is taken, and signing in finishes it.
    if (/already/i.test(alert)) {
      await page.goto(`${app.url}/login`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${app.url}/`, { waitUntil: 'commit' });
      return;
    }
    expect(alert).toMatch(/did not answer in time/);
  }
  throw new Error('sign-up did not succeed');
}

/** Waits until the table island has hydrated (its script reacts). */
async function tableReady() {
  await page.waitForFunction(() => document.querySelector('crm-island[data-island="LeadsTable"]') !== null);
  await page.waitForLoadState('networkidle');
}

const rowCount = () => page.locator('tbody tr[data-lead-id]').count();
const scores = () => page.locator('tbody tr[data-lead-id] td:nth-child(7)').allTextContents();

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(90_000);
  await signUp();
  // Upserts by email in chunks well within the edge's time limit, so a chunk retried after a timeout on a loaded
  // machine (the region may have written it anyway) cannot create a lead twice.
  for (let from = 0; from < SEEDED; from += 100) {
    const records = Array.from({ length: 100 }, (_, i) => seedLead(from + i));
    let made = { status: 0, data: null as unknown };
    for (let attempt = 0; attempt < 10 && made.status !== 200; attempt++) {
      if (attempt > 0) await page.waitForTimeout(3000);
      made = await call('POST', '/api/v1/leads/batch', { mode: 'upsert', matchOn: 'email', records });
      expect([200, 429, 503, 504], JSON.stringify(made.data).slice(0, 300)).toContain(made.status);
    }
    expect(made.status).toBe(200);
  }
  // An invitation's token is shown once: one that timed out is left unused, and the next try invites anew.
  let invited = { status: 0, data: null as any };
  for (let attempt = 0; attempt < 5 && invited.status !== 201; attempt++) {
    if (attempt > 0) await page.waitForTimeout(3000);
    invited = await call('POST', '/api/v1/users', { email: `${uniqueName('grace')}@example.com`, role: 'sales_rep' });
    expect([201, 429, 503, 504], JSON.stringify(invited.data).slice(0, 300)).toContain(invited.status);
  }
  expect(invited.status).toBe(201);
  const accepted = await fetch(`${app.url}/api/v1/auth/accept-invite`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: invited.data.inviteToken, password, name: 'Grace Member' }),
  });
  expect(accepted.status).toBe(200);
  member = { id: ((await accepted.json()) as { user: { id: string } }).user.id, name: 'Grace Member' };
}, 900_000);

afterAll(async () => {
  await browser?.close();
});

describe('the leads list with 2,000 leads', { timeout: 600_000 }, () => {
  it('sorts by score on the server and keeps the sort in the URL', async () => {
    onTestFailed(async () => {
      await screenshot(page, 'leads-list-sort').catch(() => undefined);
    });
    await page.goto(`${app.url}/leads`);
    await tableReady();
    await page.getByRole('button', { name: /^Score/ }).click();
    await page.waitForURL(/sort=score/);
    await expect.poll(() => page.locator('th[aria-sort="ascending"]').textContent()).toContain('Score');
    // The header and the URL change first; the rows once the server's sorted page has arrived.
    const sortedBy = (order: (a: number, b: number) => number) => async () => {
      const shown = (await scores()).map(Number);
      return shown.length > 10 && shown.join() === [...shown].sort(order).join();
    };
    await expect
      .poll(
        sortedBy((a, b) => a - b),
        { timeout: 60_000 },
      )
      .toBe(true);
    await page.getByRole('button', { name: /^Score/ }).click();
    await page.waitForURL(/sort=-score/);
    await expect.poll(() => page.locator('th[aria-sort="descending"]').textContent()).toContain('Score');
    // The first page is the best of all 2,000, not of the rows loaded so far. Equal scores can look sorted both
    // ways, so the descending page is known by its first row before its order is checked.
    const best = await call('GET', '/api/v1/leads?sort=-score&limit=1');
    await expect.poll(async () => Number((await scores())[0]), { timeout: 60_000 }).toBe(best.data.data[0].score);
    await expect
      .poll(
        sortedBy((a, b) => b - a),
        { timeout: 60_000 },
      )
      .toBe(true);

    await page.reload();
    await tableReady();
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Score');
    const again = (await scores()).map(Number);
    expect(again).toEqual([...again].sort((a, b) => b - a));
  });

  it('filters through the URL (status, score range), saves a shared view, reopens and renames it', async () => {
    onTestFailed(async () => {
      await screenshot(page, 'leads-list-views').catch(() => undefined);
    });
    await page.goto(`${app.url}/leads?sort=-score`);
    await page.getByLabel('Status', { exact: true }).selectOption('qualified');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=qualified/);
    expect(page.url()).toContain('sort=-score');
    await tableReady();
    const statuses = await page
      .locator('tbody tr[data-lead-id] select')
      .evaluateAll((s) => s.map((e) => (e as HTMLSelectElement).value));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['qualified']));

    const name = uniqueName('Qualified by score');
    await page.getByLabel('New view name').fill(name);
    await page.getByLabel('Share with the organization').check();
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.waitForURL(/view=[0-9a-f-]{36}/);
    const viewId = /view=([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Leads: ${name}`);
    const saved = await call('GET', `/api/v1/saved-views/${viewId}`);
    expect(saved.data).toMatchObject({
      shared: true,
      filters: { status: 'qualified' },
      sort: [{ field: 'score', direction: 'desc' }],
    });

    await page.goto(`${app.url}/leads`);
    await page.getByLabel('Saved view', { exact: true }).selectOption(viewId);
    await page.getByRole('button', { name: 'Open view' }).click();
    await page.waitForURL(/status=qualified.*view=/);
    expect(page.url()).toContain('sort=-score');
    await tableReady();
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Score');
    await page.getByLabel(`Rename “${name}”`).fill(`${name} (renamed)`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Leads: ${name} (renamed)`);

    await page.goto(`${app.url}/leads?scoreMin=40&scoreMax=60&sort=score`);
    await tableReady();
    const inRange = (await scores()).map(Number);
    expect(inRange.length).toBeGreaterThan(0);
    for (const score of inRange) expect(score >= 40 && score <= 60, String(score)).toBe(true);
    expect(await page.getByLabel('Score from').inputValue()).toBe('40');
    await expectAccessible(page);
  });

  // On embedded PGlite (one connection per shard) the job passes, in 140 s, but the workers then spend minutes on its
  // 666 lead.assigned events (notifications, emails, roll-ups) through that one connection, and every later page of
  // the shared app times out: run where the app has real PostgreSQL (always in CI). A known limit of the embedded
  // default, in the README.
  it.skipIf(!realPostgres)(
    'selects every lead matching the filter and assigns them in a bulk job, showing its progress',
    async () => {
      onTestFailed(async () => {
        await screenshot(page, 'leads-list-bulk').catch(() => undefined);
      });
      await page.goto(`${app.url}/leads?status=qualified`);
      await tableReady();
      const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
      expect(exportHref).toBe('/api/v1/exports/leads.csv?status=qualified');
      const csv = await call('GET', exportHref!);
      expect((csv.data as string).trim().split('\n')).toHaveLength(QUALIFIED + 1);

      await page.getByLabel('Select all loaded leads').check();
      await page.getByRole('button', { name: 'Select all leads matching this filter' }).click();
      await expect
        .poll(() => page.getByText(/leads matching this filter are selected/).textContent())
        .toContain(`All ${QUALIFIED} leads`);
      await page.getByLabel('Action', { exact: true }).selectOption('assign');
      await page.getByLabel('New owner').selectOption(member.id);
      await expectAccessible(page);
      const started = page.waitForResponse((r) => r.url().endsWith('/api/v1/leads/bulk'));
      await page.getByRole('button', { name: 'Apply to selected' }).click();
      expect((await started).status()).toBe(202);
      await expect
        .poll(
          () =>
            page
              .getByRole('status')
              .filter({ hasText: /Bulk job/ })
              .first()
              .textContent(),
          { timeout: 300_000 },
        )
        .toMatch(/Bulk job completed/);
      const counted = await call('GET', `/api/v1/leads/count?status=qualified&ownerId=${member.id}`);
      expect(counted.data).toEqual({ count: QUALIFIED });
      await tableReady();
      const owners = await page.locator('tbody tr[data-lead-id] td:nth-child(5)').allTextContents();
      expect(new Set(owners)).toEqual(new Set([member.name]));
    },
  );

  it('loads every page while scrolling and keeps only the rows in view in the DOM', async () => {
    onTestFailed(async () => {
      await screenshot(page, 'leads-list-scroll').catch(() => undefined);
    });
    await page.goto(`${app.url}/leads`);
    await tableReady();
    const region = page.getByRole('region', { name: 'Leads, scrollable' });
    const loaded = page.getByTestId('loaded-count');
    for (let round = 0; round < 80; round++) {
      const before = (await loaded.textContent()) ?? '';
      if (before.includes('(all)')) break;
      // A scroll that lands while a page is still loading is ignored by the list, and scrolling to where it already
      // is fires no event: step back a little first so every round is a real scroll to the end.
      await region.evaluate(async (el) => {
        el.scrollTop = Math.max(0, el.scrollHeight - el.clientHeight - 200);
        await new Promise((done) => requestAnimationFrame(() => done(undefined)));
        el.scrollTop = el.scrollHeight;
      });
      await page
        .waitForFunction(
          ([testId, text]) => document.querySelector(`[data-testid="${testId}"]`)?.textContent !== text,
          ['loaded-count', before] as const,
          { timeout: 10_000 },
        )
        .catch(() => undefined);
      expect(await rowCount()).toBeLessThanOrEqual(60);
    }
    expect(await loaded.textContent()).toBe(`${SEEDED.toLocaleString('en')} leads shown (all)`);
    await region.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect.poll(() => page.locator(`tbody tr[aria-rowindex="${SEEDED + 1}"]`).count()).toBe(1);
    expect(await rowCount()).toBeLessThanOrEqual(60);
    expect(await page.locator('table').getAttribute('aria-rowcount')).toBe(String(SEEDED + 1));
    // Halfway down, the rows there are the ones shown.
    await region.evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await expect.poll(() => page.locator(`tbody tr[aria-rowindex="${SEEDED / 2}"]`).count()).toBe(1);
    expect(await page.locator('tbody tr[aria-rowindex="2"]').count()).toBe(0);
    await expectAccessible(page);
  });
});
