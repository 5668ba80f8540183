import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { expectAccessible, uniqueName } from './support.ts';

/**
 * The CSV import in Chromium against the shared app: wrong files refused with clear messages, a file of good and
 * bad rows uploaded, its suggested mapping accepted with one column changed, the preview's problems by line, the
 * run watched to its end, the error report downloaded (the bad rows' lines in it), an imported lead on /leads; a
 * second import cancelled; another organization sees none of it. axe-core checks every step.
 */
const password = 'Corr3ct-Horse-Battery!';
const app = { url: inject('appUrl') };
let browser: Browser;
let first: { context: BrowserContext; page: Page };
const filename = `${uniqueName('trade-show')}.csv`;
let importId = '';

const goodAndBad = [
  'First Name,Surname,E-mail,Company name,Referred by',
  'Grace,Hopper,grace@navy.example,US Navy,conference',
  'Charles,Babbage,not-an-email,Difference Engines,web',
  'Alan,Turing,alan@bletchley.example,Bletchley Park,referral',
  'Ada,Byron,ada@,Analytical Engines,web',
  'Katherine,Johnson,katherine@nasa.example,NASA,conference',
].join('\n');

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

async function newPage(width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  // A loaded two-core machine answers slowly; the default 30 s is for an idle one.
  page.setDefaultTimeout(90_000);
  return { context, page };
}

async function signUp(page: Page, organization: string) {
  await page.goto(`${app.url}/signup`);
  await page.getByLabel('Organization').fill(organization);
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Work email').fill(`${uniqueName('ada')}@example.com`);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Where your data lives').selectOption('us');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(`${app.url}/`, { waitUntil: 'commit' });
}

const csvFile = (name: string, text: string, mimeType = 'text/csv') => ({
  name,
  mimeType,
  buffer: Buffer.from(text),
});

/** Waits for the island's script to have hydrated the upload form (its submit handler is then live). */
async function openImportPage(page: Page) {
  await page.goto(`${app.url}/import`);
  await page.waitForLoadState('networkidle');
}

describe('CSV import in a browser', { timeout: 300_000 }, () => {
  it('refuses a file that is not CSV, and shows the API’s message for a broken CSV', async () => {
    first = await newPage();
    const { page } = first;
    shootOnFailure(() => page, 'app-import-upload-errors');
    await signUp(page, 'Import Works');
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.waitForURL(`${app.url}/import`);
    await page.waitForLoadState('networkidle');
    expect(await page.getByText('No imports yet.').count()).toBe(1);
    await expectAccessible(page);

    await page.getByLabel('CSV file', { exact: true }).setInputFiles(csvFile('photo.png', '\x89PNG', 'image/png'));
    await page.getByRole('button', { name: 'Upload and map columns' }).click();
    await expect.poll(() => page.locator('#import-file-error').textContent()).toMatch(/“photo\.png” is not a CSV file/);
    expect(await page.getByLabel('CSV file', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await page
      .getByLabel('CSV file', { exact: true })
      .setInputFiles(csvFile('twice.csv', 'Email,Email\na@b.example,c@d.example\n'));
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/imports') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Upload and map columns' }).click();
    expect((await refused).status()).toBe(400);
    await expect.poll(() => page.locator('#import-file-error').textContent()).toMatch(/names the column "Email" twice/);
  });

  it('uploads with progress, accepts the suggested mapping with one column changed, and previews errors by line', async () => {
    const { page } = first;
    shootOnFailure(() => page, 'app-import-mapping');
    await openImportPage(page);
    await page.getByRole('radio', { name: 'Leads' }).check();
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(csvFile(filename, goodAndBad));
    const progressShown = page.waitForSelector('progress[aria-labelledby="upload-progress-label"]', {
      state: 'attached',
    });
    await page.getByRole('button', { name: 'Upload and map columns' }).click();
    await progressShown;
    await page.waitForURL(/\/import\/[0-9a-f-]{36}$/);
    importId = /\/import\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(filename);

    // The API's suggestions are chosen already; the column it could not place is left out.
    expect(await page.getByLabel('First Name', { exact: true }).inputValue()).toBe('firstName');
    expect(await page.getByLabel('Surname', { exact: true }).inputValue()).toBe('lastName');
    expect(await page.getByLabel('E-mail', { exact: true }).inputValue()).toBe('email');
    expect(await page.getByLabel('Company name', { exact: true }).inputValue()).toBe('company');
    expect(await page.getByLabel('Referred by', { exact: true }).inputValue()).toBe('');
    await expectAccessible(page);

    // A field chosen twice is caught beside its column before anything is sent.
    await page.getByLabel('Referred by', { exact: true }).selectOption('email');
    await page.getByRole('button', { name: 'Save mapping and preview' }).click();
    await expect
      .poll(() => page.locator('#map-4-error').textContent())
      .toMatch(/Email is already mapped from “E-mail”/);
    await expectAccessible(page);

    await page.getByLabel('Referred by', { exact: true }).selectOption('source');
    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/imports/${importId}`) && r.request().method() === 'PATCH',
    );
    await page.getByRole('button', { name: 'Save mapping and preview' }).click();
    expect((await saved).status()).toBe(200);
    const problems = page.getByTestId('preview-problems');
    await problems.waitFor();
    const listed = await problems.locator('li').allTextContents();
    expect(listed.some((t) => t.startsWith('Line 3: E-mail:'))).toBe(true);
    expect(listed.some((t) => t.startsWith('Line 5: E-mail:'))).toBe(true);
    expect(listed.every((t) => /^Line [35]:/.test(t))).toBe(true);
    expect(await page.getByRole('columnheader', { name: 'Source' }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'conference' }).count()).toBe(2);
    await expectAccessible(page);
  });

  // Needs the import the test above uploads.
  it('starts, watches the run to its end, downloads the error report and finds an imported lead', async () => {
    const { page } = first;
    shootOnFailure(() => page, 'app-import-run');
    await page.getByRole('button', { name: /^Start import of 5 rows$/ }).click();
    await expect.poll(() => page.getByTestId('import-status').textContent(), { timeout: 180_000 }).toBe('Completed');
    expect(await page.getByTestId('rows-created').textContent()).toBe('3');
    expect(await page.getByTestId('rows-failed').textContent()).toBe('2');
    expect(await page.getByTestId('rows-done').textContent()).toContain('5 of 5');
    await expectAccessible(page);

    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: /Download the error report \(2 rows\)/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/-errors\.csv$/);
    const report = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(report[0]).toBe('line,reason,First Name,Surname,E-mail,Company name,Referred by');
    expect(report.slice(1).map((row) => row.split(',')[0])).toEqual(['3', '5']);
    expect(report[1]).toContain('not-an-email');

    await page.getByRole('link', { name: 'See the imported leads' }).click();
    await page.waitForURL(`${app.url}/leads`);
    expect(await page.getByRole('link', { name: 'Grace Hopper' }).count()).toBeGreaterThan(0);
    expect(await page.getByText('Charles Babbage').count()).toBe(0);

    await openImportPage(page);
    const row = page.locator(`tr[data-import-id="${importId}"]`);
    expect(await row.getByRole('link', { name: filename }).count()).toBe(1);
    expect(await row.textContent()).toContain('Completed');
    await expectAccessible(page);
  });

  it('cancels an import while it is queued or running', async () => {
    const { page } = first;
    shootOnFailure(() => page, 'app-import-cancel');
    const rows = ['First name,Last name,Email'];
    for (let i = 0; i < 5000; i++) rows.push(`Ada ${i},Lovelace,ada.${i}@engines.example`);
    await openImportPage(page);
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(csvFile('big.csv', rows.join('\n')));
    await page.getByRole('button', { name: 'Upload and map columns' }).click();
    await page.waitForURL(/\/import\/[0-9a-f-]{36}$/);
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: 'Save mapping and preview' }).click();
    await page.getByRole('button', { name: /^Start import of 5000 rows$/ }).click();
    const cancelled = page.waitForResponse((r) => r.url().endsWith('/cancel') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Cancel import' }).click();
    expect((await cancelled).status()).toBe(202);
    await expect.poll(() => page.getByTestId('import-status').textContent(), { timeout: 180_000 }).toBe('Cancelled');
    expect(Number(await page.getByTestId('rows-created').textContent())).toBeLessThan(5000);
    await expectAccessible(page);
  });

  it('shows another organization, on a phone, none of the first one’s imports', async () => {
    const other = await newPage(390);
    shootOnFailure(() => other.page, 'app-import-isolation');
    await signUp(other.page, 'Other Imports');
    await openImportPage(other.page);
    expect(await other.page.getByText('No imports yet.').count()).toBe(1);
    expect(await other.page.getByText(filename).count()).toBe(0);
    await expectAccessible(other.page);
    const foreign = await other.page.goto(`${app.url}/import/${importId}`);
    expect(foreign?.status()).toBe(404);
    expect(await other.page.getByText(filename).count()).toBe(0);
    await other.context.close();
    await first.context.close();
  });
});
