import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let browser: Browser;
let site: Server;
let siteUrl: string;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let form: { id: string; publicId: string };

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The customer's site: another origin (its own port) serving static pages that embed the form's script. */
function startSite(): Promise<string> {
  site = createServer((req, res) => {
    const page = req.url === '/hostile' ? 'hostile-site.html' : req.url === '/' ? 'customer-site.html' : null;
    if (!page) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      fixture(page)
        .replaceAll('{{EMBED_SRC}}', `${stack.edgeUrl}/forms/${form.publicId}.js`)
        .replaceAll('{{FORM_ID}}', form.publicId),
    );
  });
  return new Promise((resolve) =>
    site.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(site.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  // The edge's read cache is off: the leads a page submits are written behind it (no member's write drops it).
  stack = await startTestStack({ regions: ['us'], edge: { cacheTtlSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('browser-form', { region: 'us' });
  siteUrl = await startSite();
  const made = await api.call('POST', '/api/v1/forms', {
    token: admin.token,
    body: {
      name: 'Contact',
      fields: [
        { name: 'name', label: 'Your name', type: 'text', required: true, leadField: 'firstName' },
        { name: 'email', label: 'Work email', type: 'email', required: true, leadField: 'email' },
        { name: 'company', label: 'Company', type: 'text', leadField: 'company' },
      ],
      consentText: 'I agree to be contacted.',
      consentRequired: true,
      successMessage: 'Thank you, Analytical Engines will call you.',
      allowedOrigins: [siteUrl],
    },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  form = made.data;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => site?.close(done));
  await stack?.stop();
});

const leadEmails = async () =>
  ((await api.call('GET', '/api/v1/leads?limit=50', { token: admin.token })).data.data as { email: string }[]).map(
    (l) => l.email,
  );

describe('the embedded form in a customer page on another origin', () => {
  it('renders, shows field errors from the envelope, submits and shows the success message', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${siteUrl}/`);
      const host = page.locator('crm-lead-form');
      // Playwright's CSS locators pierce the open shadow root; labels are tied to their inputs.
      const email = host.getByLabel('Work email *');
      await email.waitFor();
      await host.getByLabel('Your name *').fill('Ada');
      await email.fill('not-an-email');
      await host.getByRole('button', { name: 'Send' }).click();
      const errorOf = host.locator(`#${await email.getAttribute('id')}-error`);
      await expect.poll(() => errorOf.textContent()).toBe('Enter a valid email address');
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => host.getByRole('status').first().textContent()).toBe('Some fields need another look');

      const address = `${api.unique('embed')}@example.com`;
      await email.fill(address);
      await host.getByLabel('I agree to be contacted.').check();
      await host.getByRole('button', { name: 'Send' }).click();
      await host.getByText('Thank you, Analytical Engines will call you.').waitFor();
      expect(await leadEmails()).toContain(address);
      // The form's styles stayed in its shadow root: the page's own button keeps its colour.
      const pageButton = await page.locator('#page-button').evaluate((b) => getComputedStyle(b).backgroundColor);
      expect(pageButton).toBe('rgb(0, 128, 0)');
    } catch (error) {
      await screenshot(page, 'forms-customer-site');
      throw error;
    } finally {
      await page.close();
    }
  });

  it('still renders and works under hostile global CSS', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${siteUrl}/hostile`);
      const host = page.locator('crm-lead-form');
      const email = host.getByLabel('Work email *');
      await email.waitFor({ state: 'visible' });
      const look = await email.evaluate((input) => {
        const style = getComputedStyle(input);
        return { color: style.color, fontSize: style.fontSize, display: style.display };
      });
      expect(look.color).not.toBe('rgb(255, 0, 0)');
      expect(look.fontSize).not.toBe('40px');
      expect(look.display).not.toBe('none');
      const address = `${api.unique('hostile')}@example.com`;
      await host.getByLabel('Your name *').fill('Grace');
      await email.fill(address);
      await host.getByLabel('I agree to be contacted.').check();
      await host.getByRole('button', { name: 'Send' }).click();
      await host.getByText('Thank you, Analytical Engines will call you.').waitFor();
      expect(await leadEmails()).toContain(address);
    } catch (error) {
      await screenshot(page, 'forms-hostile-site');
      throw error;
    } finally {
      await page.close();
    }
  });
});
