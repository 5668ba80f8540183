import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { launchBrowser, screenshot } from '../../support/browser.ts';
import { expectAccessible, uniqueName } from './support.ts';

/**
 * Activities in Chromium against the shared app: a call and a note logged on a lead (an API error shown beside its
 * field first), tasks due today and overdue on /activities, one ticked done, a new task from the page, the deal
 * page reached from the board and marked won with a reason, and what a viewer and another organization see.
 */
const password = 'Corr3ct-Horse-Battery!';
const app = { url: inject('appUrl') };
let browser: Browser;
let rep: { context: BrowserContext; page: Page };
const ids = { lead: '', deal: '', overdueTask: '' };

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
  // The browser's zone decides "today" on /activities; UTC keeps the tasks below on the days they are meant for.
  const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(90_000);
  return { context, page };
}

/**
 * An API call from the page, as an island makes it: session cookies plus the CSRF header. On a loaded machine the
 * edge may give up on the region (504); writes carry an Idempotency-Key, so trying again never makes a second one.
 * Only for writes that honour the key: one that does not (an invitation) is sent once (`attempts` 1).
 */
async function call<T>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
  attempts = 6,
): Promise<{ status: number; data: T }> {
  const key = method === 'POST' ? uniqueName('key') : '';
  for (let attempt = 1; ; attempt++) {
    const answer = await page.evaluate(
      async ({ method, path, body, key }) => {
        const csrf = /(?:^|; )crm_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'x-csrf-token': decodeURIComponent(csrf),
        };
        if (key) headers['idempotency-key'] = key;
        const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: r.status, data: await r.json().catch(() => null) };
      },
      { method, path, body, key },
    );
    if (![502, 503, 504].includes(answer.status) || attempt >= attempts) return answer as { status: number; data: T };
    await page.waitForTimeout(5000);
  }
}

/** Sent until the region answers it (a busy region is told apart from a refusal by the message), then home. */
async function submitUntilAnswered(page: Page, fill: () => Promise<void>, button: string) {
  for (let attempt = 1; ; attempt++) {
    await fill();
    await page.getByRole('button', { name: button }).click();
    await Promise.race([
      page.waitForURL(`${app.url}/`, { waitUntil: 'commit' }),
      page.getByRole('alert').waitFor(),
    ]).catch(() => undefined);
    if (page.url() === `${app.url}/` || attempt === 3) break;
    expect(await page.getByRole('alert').textContent()).toMatch(/did not answer in time|unavailable/);
  }
  await page.waitForURL(`${app.url}/`, { waitUntil: 'commit' });
}

async function signIn(page: Page, email: string) {
  await submitUntilAnswered(
    page,
    async () => {
      await page.goto(`${app.url}/login`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
    },
    'Sign in',
  );
}

/**
 * Invites a viewer and has them accept, returning their email. Neither write takes an Idempotency-Key: an invite
 * the edge gave up on (504) may still have been made, so sending it again answers 409 (the email is taken) and its
 * token, shown only once, is lost. A new invite under a new email is sent instead. Likewise an acceptance that timed
 * out may have used the token, so a later 401 for it means it went through (signing in then proves it).
 */
async function inviteViewer(admin: Page, viewer: Page): Promise<string> {
  let invited = { status: 0, data: { inviteToken: '' } };
  let email = '';
  for (let attempt = 1; attempt <= 6 && invited.status !== 201; attempt++) {
    if (attempt > 1) await admin.waitForTimeout(5000);
    email = `${uniqueName('viewer')}@example.com`;
    invited = await call(admin, 'POST', '/api/v1/users', { email, role: 'viewer' }, 1);
    if (invited.status !== 201) expect([502, 503, 504], JSON.stringify(invited.data)).toContain(invited.status);
  }
  expect(invited.status).toBe(201);
  await viewer.goto(`${app.url}/login`);
  let timedOut = false;
  for (let attempt = 1; attempt <= 6; attempt++) {
    if (attempt > 1) await viewer.waitForTimeout(5000);
    const accepted = await call(
      viewer,
      'POST',
      '/api/v1/auth/accept-invite',
      { token: invited.data.inviteToken, password, name: 'Vera Viewer' },
      1,
    );
    if (accepted.status < 300 || (timedOut && accepted.status === 401)) return email;
    expect([502, 503, 504], JSON.stringify(accepted.data)).toContain(accepted.status);
    timedOut = true;
  }
  throw new Error('the invitation was never accepted');
}

/** Signs up through the form; a sign-up the region was too busy to answer is tried again under a new email. */
async function signUp(page: Page, organization: string) {
  await submitUntilAnswered(
    page,
    async () => {
      await page.goto(`${app.url}/signup`);
      await page.getByLabel('Organization').fill(organization);
      await page.getByLabel('Your name').fill('Ada Lovelace');
      await page.getByLabel('Work email').fill(`${uniqueName('ada')}@example.com`);
      await page.getByLabel('Password').fill(password);
      await page.getByLabel('Where your data lives').selectOption('us');
    },
    'Create organization',
  );
}

/** expect.poll waits 1 s by default; a loaded two-core machine needs far longer for a save to come back. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 90_000, interval: 250 });

const logForm = (page: Page) => page.getByRole('form', { name: 'Log an activity' });
const chooseKind = (page: Page, kind: string) => logForm(page).locator(`label:has(input[value="${kind}"])`).click();

describe('activities, tasks and the deal page in a browser', { timeout: 300_000 }, () => {
  it('logs a call and a note on a lead, showing an API error beside its field first', async () => {
    rep = await newPage();
    const { page } = rep;
    shootOnFailure(() => page, 'activities-lead');
    await signUp(page, 'Analytical Engines');
    const lead = await call<{ id: string }>(page, 'POST', '/api/v1/leads', {
      firstName: 'Grace',
      lastName: 'Hopper',
      company: 'US Navy',
    });
    expect(lead.status, JSON.stringify(lead.data)).toBe(201);
    ids.lead = lead.data.id;
    await page.goto(`${app.url}/leads/${ids.lead}`);
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('timeline-empty').count()).toBe(1);

    const form = logForm(page);
    await form.getByLabel('Subject', { exact: true }).fill('Intro call');
    await form.getByLabel('Duration (minutes)').fill('9');
    await form.getByLabel('Outcome').selectOption('connected');
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/activities') && r.request().method() === 'POST',
    );
    await form.getByRole('button', { name: 'Log call' }).click();
    expect((await saved).status()).toBe(201);
    const timeline = page.getByTestId('timeline');
    await poll(() => timeline.textContent()).toContain('Intro call');
    expect(await timeline.textContent()).toContain('9 min · Connected');

    await chooseKind(page, 'note');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/activities'));
    await form.getByRole('button', { name: 'Save note' }).click();
    expect((await refused).status()).toBe(400);
    const noteText = form.getByLabel('Note text');
    await poll(() => noteText.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('#log-lead-body-error').textContent()).toMatch(/body/i);
    await expectAccessible(page);
    await noteText.fill('Wants a demo for the whole team');
    await form.getByRole('button', { name: 'Save note' }).click();
    await poll(() => timeline.locator('li').count()).toBe(2);
    expect(await timeline.locator('li').first().textContent()).toContain('Wants a demo for the whole team');

    // Both are stored: a reload shows them from the API.
    await page.reload();
    expect(await page.getByTestId('timeline').locator('li').count()).toBe(2);
    await expectAccessible(page);
  });

  it('shows tasks due today and overdue on /activities, ticks one done and creates one', async () => {
    const { page } = rep;
    shootOnFailure(() => page, 'activities-tasks');
    const now = Date.now();
    const midnight = new Date(new Date(now).toISOString().slice(0, 10)).getTime();
    const task = (subject: string, dueAt: number) =>
      call<{ id: string }>(page, 'POST', '/api/v1/activities', {
        type: 'task',
        subject,
        dueAt: new Date(dueAt).toISOString(),
        leadId: ids.lead,
      });
    // Between midnight and now: due today whatever the hour the test runs.
    const today = await task('Call Grace back', midnight + Math.floor((now - midnight) / 2));
    const overdue = await task('Chase the signed contract', midnight - 12 * 3600_000);
    expect([today.status, overdue.status], JSON.stringify([today.data, overdue.data])).toEqual([201, 201]);
    ids.overdueTask = overdue.data.id;

    await page.getByRole('link', { name: 'Activities', exact: true }).click();
    await page.waitForURL(`${app.url}/activities`);
    await page.waitForLoadState('networkidle');
    const section = (name: string) => page.locator(`[data-section="${name}"]`);
    expect(await section('today').textContent()).toContain('Call Grace back');
    expect(await section('overdue').textContent()).toContain('Chase the signed contract');
    expect(await section('today').getByRole('link', { name: 'Lead: Grace Hopper' }).count()).toBe(1);
    await expectAccessible(page);

    // Someone changes today's task after the page was read: ticking it is refused (412), put back and explained.
    const changed = await call(page, 'PATCH', `/api/v1/activities/${today.data.id}`, { priority: 'high' });
    expect(changed.status).toBe(200);
    const stale = page.getByRole('checkbox', { name: 'Call Grace back' });
    const refused = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/activities/${today.data.id}`) && r.request().method() === 'PATCH',
    );
    // click, not check(): the box is meant to spring back once the server refuses.
    await stale.click();
    expect((await refused).status()).toBe(412);
    await poll(async () =>
      (await section('today').getByRole('alert').count()) ? section('today').getByRole('alert').textContent() : '',
    ).toMatch(/changed since you read it/);
    expect(await stale.isChecked()).toBe(false);

    const done = page.getByRole('checkbox', { name: 'Chase the signed contract' });
    const patched = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/activities/${ids.overdueTask}`) && r.request().method() === 'PATCH',
    );
    await done.check();
    expect((await patched).status()).toBe(200);
    expect(await done.isChecked()).toBe(true);

    const form = page.getByRole('form', { name: 'New task' });
    await form.getByLabel('Task', { exact: true }).fill('Send the proposal');
    await form.getByLabel('Due (optional)').fill(`${new Date(now + 86_400_000).toISOString().slice(0, 10)}T10:00`);
    await form.getByRole('button', { name: 'Create task' }).click();
    await poll(() => form.locator('#task-record-error').count()).toBe(1);
    await form.getByRole('searchbox').fill('Grace');
    await form.getByRole('button', { name: 'Find' }).click();
    await form.getByRole('radio', { name: 'Lead: Grace Hopper' }).check();
    await form.getByRole('button', { name: 'Create task' }).click();
    await poll(() => section('upcoming').textContent()).toContain('Send the proposal');
    await expectAccessible(page);

    // The done task left the overdue list for good; the new one is stored.
    await page.reload();
    expect(await section('overdue').textContent()).not.toContain('Chase the signed contract');
    expect(await section('upcoming').textContent()).toContain('Send the proposal');

    await page.getByLabel('Type', { exact: true }).selectOption('call');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/\/activities\?type=call$/);
    const recent = await page.getByTestId('recent-activities').textContent();
    expect(recent).toContain('Intro call');
    expect(recent).not.toContain('Wants a demo');
    await expectAccessible(page);
  });

  it('opens a deal from the board, logs a note on it and marks it won with a reason', async () => {
    const { page } = rep;
    shootOnFailure(() => page, 'activities-deal');
    const deal = await call<{ id: string }>(page, 'POST', '/api/v1/deals', {
      name: 'Navy compilers',
      amount: '25000.00',
      currency: 'EUR',
    });
    expect(deal.status, JSON.stringify(deal.data)).toBe(201);
    ids.deal = deal.data.id;
    await page.goto(`${app.url}/pipelines`);
    await page.getByRole('link', { name: 'Navy compilers' }).click();
    await page.waitForURL(`${app.url}/deals/${ids.deal}`);
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Navy compilers');
    expect(await page.getByTestId('deal-amount').textContent()).toBe('€25,000.00');
    expect(await page.getByTestId('stage-history').locator('tr').count()).toBe(1);
    await expectAccessible(page);

    await chooseKind(page, 'note');
    await logForm(page).getByLabel('Note text').fill('Legal review next week');
    await logForm(page).getByRole('button', { name: 'Save note' }).click();
    await poll(() => page.getByTestId('timeline').textContent()).toContain('Legal review next week');

    await page.getByLabel('Why it was won (optional)').fill('Best total cost over 3 years');
    await page.getByRole('button', { name: 'Mark won' }).click();
    await page.waitForURL(`${app.url}/deals/${ids.deal}?closed=won`);
    expect(await page.getByTestId('deal-status').textContent()).toBe('Won');
    expect(await page.getByText('Best total cost over 3 years').count()).toBe(1);
    expect(await page.getByTestId('stage-history').locator('tr').count()).toBe(2);
    expect(await page.getByTestId('stage-history').locator('tr').first().textContent()).toContain('Ada Lovelace');
    await expectAccessible(page);
  });

  it('shows a viewer no way to log or close, and another organization nothing at all', async () => {
    const viewer = await newPage(390);
    shootOnFailure(() => viewer.page, 'activities-viewer');
    const viewerEmail = await inviteViewer(rep.page, viewer.page);
    await signIn(viewer.page, viewerEmail);
    await viewer.page.goto(`${app.url}/deals/${ids.deal}`);
    expect(await viewer.page.getByRole('heading', { level: 1 }).textContent()).toBe('Navy compilers');
    expect(await viewer.page.getByText('You cannot change deals.').count()).toBe(1);
    expect(await logForm(viewer.page).count()).toBe(0);
    expect(await viewer.page.getByTestId('timeline').textContent()).toContain('Legal review next week');
    await expectAccessible(viewer.page);
    await viewer.page.goto(`${app.url}/activities`);
    expect(await viewer.page.getByRole('heading', { name: 'New task' }).count()).toBe(0);
    await viewer.context.close();

    const other = await newPage(390);
    shootOnFailure(() => other.page, 'activities-other-org');
    await signUp(other.page, 'Difference Engines');
    await other.page.goto(`${app.url}/deals/${ids.deal}`);
    expect(await other.page.getByRole('alert').textContent()).toMatch(/not found/i);
    await other.page.goto(`${app.url}/activities`);
    expect(await other.page.locator('[data-task-id]').count()).toBe(0);
    expect(await other.page.getByText('Intro call').count()).toBe(0);
    await expectAccessible(other.page);
    await other.context.close();
    await rep.context.close();
  });
});
