import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { expectAccessible, signUpInBrowser, uniqueName, visitSignedIn } from './support.ts';

/**
 * The single sign-on pages in Chromium: "Sign in with SSO" from the login page (an address whose domain has no
 * connection is told so beside the form) and Settings › Single sign-on for an admin, each checked by axe-core.
 * The sign-in through a real identity provider is covered at the HTTP level (regions/sso/, web/sso-pages.test.ts).
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

describe('single sign-on pages', { timeout: 900_000 }, () => {
  it('leads from the login page to SSO sign-in, which says when a domain has no connection', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(180_000);
    onTestFailed(async () => {
      await screenshot(page, 'sso-sign-in').catch(() => undefined);
    });
    await page.goto(`${app.url}/login`);
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.waitForURL(`${app.url}/sso`);
    await expectAccessible(page);
    await page.getByLabel('Work email').fill(`${uniqueName('ada')}@no-sso.example`);
    const answered = page.waitForResponse((r) => r.url().endsWith('/sso') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect((await answered).status()).toBe(404);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBeTruthy();
    await expectAccessible(page);
    await context.close();
  });

  it('shows an admin the connections and domains settings', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(180_000);
    onTestFailed(async () => {
      await screenshot(page, 'sso-settings').catch(() => undefined);
    });
    const email = await signUpInBrowser(page, app.url, `SSO ${uniqueName('org')}`, password);
    await visitSignedIn(page, `${app.url}/settings/sso`, email, password);
    await expect.poll(() => page.getByRole('heading', { name: 'Connections' }).count()).toBe(1);
    expect(await page.getByText('No connection yet.').count()).toBe(1);
    expect(
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Single sign-on' }).count(),
    ).toBe(1);
    await expectAccessible(page);
    await context.close();
  });
});
