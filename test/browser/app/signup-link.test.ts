import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { privateShards, realPostgres } from '../../support/databases.ts';
import { type App, expectAccessible, startApp, uniqueName, warmUp } from './support.ts';

/**
 * Sign-up by emailed link in Chromium, on an app of its own started with `SIGNUP_CONFIRMATION=email` (the shared
 * one signs up at once, as `npm start` does): the form says to check the inbox, the email's link (read from the mail
 * drop folder, as without SMTP the app writes every email there) opens a page whose button creates the organization
 * and lands on the dashboard, signed in.
 */
let app: App;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'crm-browser-signup-'));
  const servers: Record<string, string> = { SIGNUP_CONFIRMATION: 'email' };
  if (realPostgres) {
    const [directory, ...shards] = await privateShards('browser_signup', 3);
    Object.assign(servers, { DIRECTORY_URL: directory!, SHARD_URLS_US: shards.join(',') });
  }
  app = await startApp(dataDir, servers);
  await warmUp(app.url, 180_000, 202);
  browser = await launchBrowser();
}, 660_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The sign-up links in the emails to `email`, oldest first. */
async function signupLinksTo(email: string): Promise<string[]> {
  const mailDir = join(dataDir, 'mail');
  if (!existsSync(mailDir)) return [];
  const links: string[] = [];
  for (const file of readdirSync(mailDir).sort()) {
    const mail = await simpleParser(readFileSync(join(mailDir, file)));
    const to = [mail.to ?? []].flat().flatMap((address) => address.value.map((v) => v.address));
    const token = /\/confirm-signup\?token=(sgn_us_[0-9a-f]+)/.exec(mail.text ?? '')?.[1];
    if (token && to.includes(email)) links.push(`${app.url}/confirm-signup?token=${token}`);
  }
  return links;
}

describe('sign-up by emailed link', { timeout: 300_000 }, () => {
  it('says to check the inbox, and the link creates the organization and opens the dashboard', async () => {
    const email = `${uniqueName('linked')}@example.com`;
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    onTestFailed(async () => {
      await screenshot(page, 'signup-link').catch(() => undefined);
    });
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Organization').fill('Linked Engines');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill('Corr3ct-Horse-Battery!');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Check your inbox');
    await expectAccessible(page);

    await expect
      .poll(async () => (await signupLinksTo(email)).length, { timeout: 120_000, interval: 1000 })
      .toBeGreaterThan(0);
    const [link] = await signupLinksTo(email);
    await page.goto(link!);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create the organization' }).click();
    // Signed in once the dashboard's response arrives (its charts may still be loading on a busy machine).
    await page.waitForURL(`${app.url}/`, { waitUntil: 'commit' });
    await expect.poll(() => page.getByText('Welcome, Ada Lovelace').count()).toBe(1);
    await expectAccessible(page);

    // The link was spent: opening it again says so and offers to sign up again.
    const spent = await browser.newContext();
    const again = await spent.newPage();
    await again.goto(link!);
    await again.getByRole('button', { name: 'Create the organization' }).click();
    await expect.poll(() => again.getByRole('link', { name: 'Sign up again' }).count()).toBe(1);
    await expectAccessible(again);
    await spent.close();
    await context.close();
  });
});
