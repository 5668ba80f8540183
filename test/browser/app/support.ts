import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
// A fresh folder makes every shard run every migration; on a busy two-core machine that is slow.
const READY_WITHIN_MS = 420_000;

/**
 * Anything that would point the stack at real servers, or pin its ports and secrets, stays out (as in e2e); so does
 * SIGNUP_CONFIRMATION, which suites sign up under `none` unless they pass it (`servers`).
 */
const inherited =
  /^(DIRECTORY_URL|SHARD_URLS.*|DATABASE_URL|TEST_PG_.*|TEST_REDIS_URL|EDGE_STORE_URL|EDGE_SHARED_SECRET|SIGNING_KEY.*|REGION.*|DEFAULT_REGION|PORT|HOST|EDGE_PORT|DATA_DIR|SIGNUP_CONFIRMATION)$/;

export type App = { url: string; stop(): Promise<void>; output(): string };

/**
 * The app as `npm start` starts it (scripts/start.ts: web build, regions, edge) on ephemeral ports and a fresh data
 * folder; one region keeps the start short on a busy machine. Generous rate limits: one browser is one IP.
 * `servers` points it at real servers (DIRECTORY_URL, SHARD_URLS_US, EDGE_STORE_URL) instead of the embedded ones,
 * and sets any other variable a suite needs (SIGNUP_CONFIRMATION).
 */
export function startApp(dataDir: string, servers: Record<string, string> = {}): Promise<App> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !inherited.test(key)),
  );
  Object.assign(env, {
    EDGE_PORT: '0',
    REGION_NAMES: 'us',
    REGION_PORTS: '0',
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '5000',
    RATE_LIMIT_IP_PER_MINUTE: '5000',
    // Every suite's deliberate failed sign-ins come from this one address too.
    LOGIN_LOCKOUT_IP_THRESHOLD: '5000',
    ...servers,
  });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const output = () => lines.join('\n');
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 15_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      void stop().then(() => fail(new Error(`not ready in ${READY_WITHIN_MS} ms\n${output()}`)));
    }, READY_WITHIN_MS);
    void exited.then(() => {
      clearTimeout(timer);
      clearInterval(poll);
      fail(new Error(`npm start exited before it was ready\n${output()}`));
    });
    const poll = setInterval(() => {
      if (!lines.some((line) => line.startsWith('data and logs in '))) return;
      clearInterval(poll);
      clearTimeout(timer);
      const url = lines.map((line) => /^edge (http:\/\/\S+)$/.exec(line)?.[1]).find(Boolean);
      if (!url) return fail(new Error(`no edge line\n${output()}`));
      done({ url, stop, output });
    }, 100);
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page; serious and critical violations fail the test, named with the nodes they hit. It is
 * evaluated through DevTools rather than added as a <script>: the pages' CSP runs no script without their nonce.
 */
export async function expectAccessible(page: Page) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n: { target: string[] }) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

export const uniqueName = (tag: string) => `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * The first requests after a fresh start open the region's databases and job queues; on a loaded machine they can
 * outlast the edge's region timeout. One API sign-up, retried until it succeeds, makes the region warm first.
 * `answers` is what a sign-up answers there: 201, or 202 when it goes by emailed link (SIGNUP_CONFIRMATION=email).
 */
export async function warmUp(url: string, withinMs = 180_000, answers = 201) {
  const until = Date.now() + withinMs;
  let last = '';
  while (Date.now() < until) {
    const id = uniqueName('warm-up');
    const reply = await fetch(`${url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organization: `Org ${id}`,
        email: `${id}@example.com`,
        password: 'Corr3ct-Horse-Battery!',
      }),
    }).catch((error: Error) => ({ status: 0, text: async () => error.message }));
    if (reply.status === answers) return;
    last = `${reply.status} ${await reply.text()}`;
    await new Promise((done) => setTimeout(done, 2000));
  }
  throw new Error(`the region did not answer a sign-up within ${withinMs} ms: ${last}`);
}

/**
 * Signs up through the page and returns the email. On a loaded two-core machine the region may not answer the edge
 * in time: the page then says so and the sign-up is tried again, with another email in case the first one was
 * created after all.
 */
export async function signUpInBrowser(page: Page, appUrl: string, organization: string, password: string) {
  for (let attempt = 1; ; attempt++) {
    const email = `${uniqueName('ada')}@example.com`;
    await page.goto(`${appUrl}/signup`);
    await page.getByLabel('Organization').fill(organization);
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Where your data lives').selectOption('us');
    await page.getByRole('button', { name: 'Create organization' }).click();
    const outcome = await Promise.race([
      page.waitForURL(`${appUrl}/`, { timeout: 240_000 }).then(() => 'signed up' as const),
      page
        .getByText('did not answer in time')
        .waitFor({ timeout: 240_000 })
        .then(() => 'timed out' as const),
    ]);
    if (outcome === 'signed up') return email;
    if (attempt === 3) throw new Error('the region did not answer three sign-ups in time');
  }
}

/**
 * Opens a page of the app. When the region is too slow to answer the page's own GET /api/v1/me, web/mount.ts takes
 * the browser for signed out and sends it to /login (clearing the session); on a loaded machine that happens, so
 * this signs in again there and goes on to the page it wanted.
 */
export async function visitSignedIn(page: Page, url: string, email: string, password: string) {
  await page.goto(url);
  for (let attempt = 1; attempt <= 3 && new URL(page.url()).pathname === '/login'; attempt++) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((next) => next.pathname !== '/login' || next.search.includes('next='), { timeout: 240_000 });
    if (new URL(page.url()).pathname !== '/login') await page.goto(url);
  }
}
