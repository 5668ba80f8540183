import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { signUpInBrowser, uniqueName, visitSignedIn } from './support.ts';

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

describe('pages under their CSP in a browser', { timeout: 900_000 }, () => {
  it('runs every island with the nonce and reports no violation', async () => {
    const { context, page, console } = await watchedPage();
    onTestFailed(async () => {
      await screenshot(page, 'csp-pages').catch(() => undefined);
    });
    const email = await signUpInBrowser(page, app.url, `CSP Works ${uniqueName('org')}`, password);
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
    await visitSignedIn(page, `${app.url}/`, email, password);
    await page.locator('[data-connection="live"]').waitFor();
    expect(await violationsIn(page), '/').toEqual([]);
    // Reports: the island ran and uPlot drew on its canvas (no injected stylesheet needed).
    await visitSignedIn(page, `${app.url}/reports`, email, password);
    await page.locator('[data-chart] canvas').first().waitFor();
    expect(await violationsIn(page), '/reports').toEqual([]);
    const islandPages = ['/leads', '/pipelines', '/contacts', '/activities', '/import', `/leads/${lead.id}`];
    for (const path of islandPages) {
      await visitSignedIn(page, `${app.url}${path}`, email, password);
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
