import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { expectAccessible, uniqueName } from './support.ts';

/**
 * The forgotten-password flow in Chromium: ask for a link, open the link from the email (without SMTP the app writes
 * every email as an .eml file into its mail drop folder), choose a new password, sign in with it.
 */
const url = inject('appUrl');
const mailDir = join(inject('appDataDir'), 'mail');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The reset links in the emails to `email` in the app's mail drop folder, oldest first. */
async function resetLinksTo(email: string): Promise<string[]> {
  if (!existsSync(mailDir)) return [];
  const links: string[] = [];
  for (const file of readdirSync(mailDir).sort()) {
    const mail = await simpleParser(readFileSync(join(mailDir, file)));
    const to = [mail.to ?? []].flat().flatMap((address) => address.value.map((v) => v.address));
    const token = /\/reset-password\?token=(prt_us_[0-9a-f]+)/.exec(mail.text ?? '')?.[1];
    if (token && to.includes(email)) links.push(`${url}/reset-password?token=${token}`);
  }
  return links;
}

/** The reset link of the newest email to `email`, once the email worker has sent it. */
async function resetLinkFor(email: string): Promise<string> {
  await expect
    .poll(async () => (await resetLinksTo(email)).length, { timeout: 120_000, interval: 1000 })
    .toBeGreaterThan(0);
  return (await resetLinksTo(email)).at(-1)!;
}

describe('forgotten password', { timeout: 300_000 }, () => {
  it('mails a link that sets a new password once, then signs in with it', async () => {
    // A region that does not answer in time (504 on a machine this loaded) may still have signed up: each try
    // takes a fresh address.
    let email = '';
    for (let attempt = 1; !email; attempt++) {
      const id = uniqueName('forgetful');
      const signedUp = await fetch(`${url}/api/v1/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          organization: `Org ${id}`,
          email: `${id}@example.com`,
          password: 'Old-Passphrase-1234',
        }),
      });
      if (signedUp.status === 201) email = `${id}@example.com`;
      else if (signedUp.status !== 504 || attempt === 5) expect(signedUp.status).toBe(201);
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    onTestFailed(async () => {
      await screenshot(page, 'password-reset').catch(() => undefined);
    });
    await page.goto(`${url}/login`);
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await expectAccessible(page);
    await page.getByLabel('Work email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('If this email belongs to an account');

    await page.goto(await resetLinkFor(email));
    await expectAccessible(page);
    await page.getByLabel('New password').fill('New-Passphrase-5678');
    await page.getByLabel('The same again').fill('Different-Passphrase-5678');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await expect.poll(() => page.getByText('Type the same password twice').count()).toBe(1);
    await page.getByLabel('New password').fill('New-Passphrase-5678');
    await page.getByLabel('The same again').fill('New-Passphrase-5678');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.waitForURL(`${url}/login?reset=done`);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your password is changed');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('New-Passphrase-5678');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signed in once the dashboard's response arrives (its charts may still be loading on a busy machine).
    await page.waitForURL(`${url}/`, { waitUntil: 'commit' });

    // The link was spent: opening it again says so and offers a new one.
    const spent = await context.newPage();
    await spent.goto(await resetLinkFor(email));
    await spent.getByLabel('New password').fill('Third-Passphrase-9012');
    await spent.getByLabel('The same again').fill('Third-Passphrase-9012');
    await spent.getByRole('button', { name: 'Set the password' }).click();
    await expect.poll(() => spent.getByRole('link', { name: 'Ask for a new link' }).count()).toBe(1);
    await context.close();
  });
});
