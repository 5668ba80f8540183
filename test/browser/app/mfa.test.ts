import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { expectAccessible, uniqueName } from './support.ts';

/**
 * Two-step sign-in in Chromium: set up an authenticator from the security settings (the code computed here from the
 * key the page shows, as a phone would), sign out, sign in with a code, then with a recovery code.
 */
const url = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The app's code `steps` 30-second steps from now. */
const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function signUp(): Promise<{ email: string; password: string }> {
  const password = 'Quiet-Harbour-Lantern-47';
  // A region that does not answer in time (504 on a loaded machine) may still have signed up: each try is fresh.
  for (let attempt = 1; ; attempt++) {
    const id = uniqueName('two-step');
    const reply = await fetch(`${url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organization: `Org ${id}`, email: `${id}@example.com`, password }),
    });
    if (reply.status === 201) return { email: `${id}@example.com`, password };
    if (reply.status !== 504 || attempt === 5) expect(reply.status).toBe(201);
  }
}

async function passwordStep(page: Page, account: { email: string; password: string }) {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${url}/login`, { waitUntil: 'commit' });
}

describe('two-step sign-in', { timeout: 300_000 }, () => {
  it('sets up an authenticator, then signs in with a code and with a recovery code', async () => {
    const account = await signUp();
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    onTestFailed(async () => {
      await screenshot(page, 'mfa').catch(() => undefined);
    });

    await passwordStep(page, account);
    await page.waitForURL(`${url}/`, { waitUntil: 'commit' });
    await page.goto(`${url}/settings/security`);
    await expect.poll(() => page.getByTestId('mfa-status').textContent()).toContain('Off');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await expect.poll(() => page.getByRole('img', { name: /QR code/ }).count()).toBe(1);
    await expectAccessible(page);
    const secret = (await page.getByTestId('mfa-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // A wrong code is refused beside its field, and the same secret is shown again.
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await expect.poll(() => page.getByText('This code is wrong or was already used').count()).toBe(1);
    await expect.poll(() => page.getByLabel('Code from the app').getAttribute('aria-invalid')).toBe('true');
    expect((await page.getByTestId('mfa-secret').textContent())!.trim()).toBe(secret);
    await expectAccessible(page);
    await page.getByLabel('Code from the app').fill(await codeAt(secret));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    const recoveryCodes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    await expect.poll(() => page.getByTestId('mfa-status').textContent()).toContain('10 of 10 recovery codes left');
    await expectAccessible(page);

    // Signing in now asks for a code after the password. The step after the enrolment's is the next good one.
    await signOut(page);
    await passwordStep(page, account);
    await expect.poll(() => page.getByRole('heading', { name: 'Two-step sign-in' }).count()).toBe(1);
    await expectAccessible(page);
    await page.getByLabel('One-time code').fill('123');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expect.poll(() => page.getByLabel('One-time code').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await page.getByLabel('One-time code').fill(await codeAt(secret, 1));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${url}/`, { waitUntil: 'commit' });

    // And with a recovery code instead, once.
    await signOut(page);
    await passwordStep(page, account);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await expect.poll(() => page.getByLabel('Recovery code').count()).toBe(1);
    await expectAccessible(page);
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!.trim());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${url}/`, { waitUntil: 'commit' });
    await page.goto(`${url}/settings/security`);
    await expect.poll(() => page.getByTestId('mfa-status').textContent()).toContain('9 of 10 recovery codes left');
    await expectAccessible(page);
    await context.close();
  });
});
