import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { uniqueName } from './support.ts';

/**
 * The pages under their Content-Security-Policy in Chromium (web/csp.ts): every island's script runs with the
 * response's nonce, the dashboard's event stream connects, uPlot draws, and the browser reports no violation
 * (neither on the console nor as a `securitypolicyviolation` event) on any page with islands.
 */
const password = 'Corr3ct-Horse-Battery!';
const app = { url: inject('appUrl') };
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

type Violation = { directive: string; blocked: string; source: string };

/** A page whose console messages and CSP violation events are all kept. */
async function watchedPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Runs in every document before its own scripts, and is not itself subject to the page's policy.
  await context.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { cspViolations: Violation[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push({ directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile });
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  const console: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') console.push(message.text());
  });
  page.on('pageerror', (error) => console.push(`pageerror: ${error.message}`));
  return { context, page, console };
}

const violationsIn = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations?: Violation[] }).cspViolations ?? []);

async function signUp(page: Page): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const email = `${uniqueName('csp')}@example.com`;
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Organization').fill(`CSP Works ${uniqueName('org')}`);
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Where your data lives').selectOption('us');
    await page.getByRole('button', { name: 'Create organization' }).click();
    const outcome = await Promise.race([
      page.waitForURL(`${app.url}/`, { timeout: 240_000 }).then(() => 'signed up' as const),
      page
        .getByText('did not answer in time')
        .waitFor({ timeout: 240_000 })
        .then(() => 'timed out' as const),
    ]);
    if (outcome === 'signed up') return email;
    if (attempt === 3) throw new Error('the region did not answer three sign-ups in time');
  }
}

/** Opens a page, signing in again if a slow region sent the browser to /login (as the other suites do). */
async function visit(page: Page, path: string, email: string) {
  await page.goto(`${app.url}${path}`);
  for (let attempt = 1; attempt <= 3 && new URL(page.url()).pathname === '/login'; attempt++) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login' || url.search.includes('next='), { timeout: 240_000 });
    if (new URL(page.url()).pathname !== '/login') await page.goto(`${app.url}${path}`);
  }
}

describe('pages under their CSP in a browser', { timeout: 900_000 }, () => {
  it('runs every island with the nonce and reports no violation', async () => {
    const { context, page, console } = await watchedPage();
    onTestFailed(async () => {
      await screenshot(page, 'csp-pages').catch(() => undefined);
    });
    const email = await signUp(page);
    const lead = await page.evaluate(async () => {
      const csrf = /(?:^|; )crm_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const r = await fetch('/api/v1/leads', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ firstName: 'Grace', lastName: 'Hopper', source: 'referral' }),
      });
      return (await r.json()) as { id: string };
    });

    // The dashboard: its island ran (nonce) and its event stream connected (connect-src).
    await visit(page, '/', email);
    await page.locator('[data-connection="live"]').waitFor();
    expect(await violationsIn(page), '/').toEqual([]);
    // Reports: the island ran and uPlot drew on its canvas (no injected stylesheet needed).
    await visit(page, '/reports', email);
    await page.locator('[data-chart] canvas').first().waitFor();
    expect(await violationsIn(page), '/reports').toEqual([]);
    const islandPages = ['/leads', '/pipelines', '/contacts', '/activities', '/import', `/leads/${lead.id}`];
    for (const path of islandPages) {
      await visit(page, path, email);
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      expect(await page.locator('crm-island').count(), path).toBeGreaterThan(0);
      expect(await violationsIn(page), path).toEqual([]);
    }
    // Every island script the pages asked for was fetched and ran: none refused.
    expect(console.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
    expect(console.filter((text) => text.startsWith('pageerror'))).toEqual([]);
    await context.close();
  });
});
